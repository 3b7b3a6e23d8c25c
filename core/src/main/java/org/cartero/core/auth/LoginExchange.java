package org.cartero.core.auth;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * SASL LOGIN, the obsolete but still common mechanism of Outlook and many devices
 * (draft-murchison-sasl-login): the server asks "Username:" and then "Password:", and the
 * client answers each in UTF-8. An initial response is the user name.
 */
final class LoginExchange extends SaslExchange {
    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);

    private String username;

    LoginExchange(Authenticator authenticator, InetAddress client) {
        super(authenticator, client);
    }

    @Override
    public String mechanism() {
        return "LOGIN";
    }

    @Override
    SaslStep begin() {
        return new SaslStep.Challenge(USERNAME.clone());
    }

    @Override
    SaslStep respond(byte[] response) {
        String what = username == null ? "user name" : "password";
        if (response.length > MAX_RESPONSE) return malformed("LOGIN " + what + " longer than " + MAX_RESPONSE + " bytes");
        String text = utf8(response, 0, response.length);
        if (text == null) return malformed("LOGIN " + what + " is not valid UTF-8");
        if (text.isEmpty()) return malformed("LOGIN " + what + " is empty");
        if (text.indexOf('\0') >= 0) return malformed("LOGIN " + what + " contains NUL");
        if (username == null) {
            username = text;
            return new SaslStep.Challenge(PASSWORD.clone());
        }
        return authenticate(username, text);
    }
}
