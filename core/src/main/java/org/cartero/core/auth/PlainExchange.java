package org.cartero.core.auth;

import java.net.InetAddress;
import org.cartero.core.directory.Account;

/**
 * SASL PLAIN (RFC 4616): one message {@code [authzid] NUL authcid NUL passwd} in UTF-8. The
 * authorization identity may be empty or name the authenticated user; acting as someone else
 * is refused.
 */
final class PlainExchange extends SaslExchange {

    PlainExchange(Authenticator authenticator, InetAddress client) {
        super(authenticator, client);
    }

    @Override
    public String mechanism() {
        return "PLAIN";
    }

    /** RFC 4616 section 2: the client sends the message; without an initial response the server sends an empty challenge. */
    @Override
    SaslStep begin() {
        return new SaslStep.Challenge(new byte[0]);
    }

    @Override
    SaslStep respond(byte[] message) {
        if (message.length > MAX_RESPONSE) return malformed("PLAIN message longer than " + MAX_RESPONSE + " bytes");
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return malformed("PLAIN message must be authzid NUL authcid NUL password");
        }
        String authzid = utf8(message, 0, first);
        String authcid = utf8(message, first + 1, second);
        String password = utf8(message, second + 1, message.length);
        if (authzid == null || authcid == null || password == null) return malformed("PLAIN message is not valid UTF-8");
        // RFC 4616 section 2: authcid and passwd are 1*SAFE, never empty.
        if (authcid.isEmpty()) return malformed("PLAIN message has an empty user name");
        if (password.isEmpty()) return malformed("PLAIN message has an empty password");

        SaslStep step = authenticate(authcid, password);
        if (step instanceof SaslStep.Success success && !mayActAs(success.account(), authcid, authzid)) {
            return new SaslStep.Failure(SaslStep.Reason.NOT_AUTHORIZED,
                    authcid + " may not act as " + authzid);
        }
        return step;
    }

    /** RFC 4616 section 2: the server checks that the credentials permit acting as the authzid. */
    private static boolean mayActAs(Account account, String authcid, String authzid) {
        return authzid.isEmpty() || authzid.equalsIgnoreCase(authcid) || authzid.equalsIgnoreCase(account.name());
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == 0) return i;
        }
        return -1;
    }
}
