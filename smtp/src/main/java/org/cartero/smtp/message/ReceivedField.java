package org.cartero.smtp.message;

import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * The Received trace field this server puts on top of every message it accepts (RFC 5321
 * section 4.4), folded over several lines:
 *
 * <pre>
 * Received: from client.example.test ([192.0.2.1])
 *         by mail.example.test (Cartero) with ESMTPSA id 0123456789ABCDE
 *         (using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)
 *         for &lt;bob@example.test&gt;; Thu, 26 Nov 2026 14:00:00 +0000
 * </pre>
 *
 * The protocol names are those of RFC 3848 (ESMTPS: TLS, ESMTPA: authenticated) and RFC 6531
 * section 3.7.3 (UTF8SMTP...). "for" names the recipient only when there is one: a list of them
 * would tell every recipient who else got the message.
 */
public final class ReceivedField {
    private ReceivedField() {}

    /**
     * @param heloName    what the client said in HELO/EHLO, if it did
     * @param clientIp    the client's IP address, or empty for mail from a local program
     * @param localUser   for mail from a local program: who ran it, e.g. "userid 1000"
     * @param protocol    "SMTP" or "ESMTP" and its variants, or "local"
     * @param tlsProtocol the TLS version and cipher suite when the session was encrypted
     */
    public static byte[] of(Optional<String> heloName, Optional<String> clientIp, Optional<String> localUser,
                            String hostname, String protocol, String queueId, Optional<Tls> tlsProtocol,
                            Optional<String> singleRecipient, ZonedDateTime time) {
        StringBuilder s = new StringBuilder(256).append("Received:");
        if (clientIp.isPresent()) {
            s.append(" from ").append(heloName.orElse("unknown")).append(" ([").append(clientIp.get()).append("])\r\n\t");
        } else {
            s.append(' ');
        }
        s.append("by ").append(hostname).append(" (Cartero");
        localUser.ifPresent(u -> s.append(", from ").append(u));
        s.append(") with ").append(protocol).append(" id ").append(queueId);
        tlsProtocol.ifPresent(t -> s.append("\r\n\t(using ").append(t.protocol()).append(" with cipher ").append(t.cipherSuite()).append(')'));
        singleRecipient.ifPresent(r -> s.append("\r\n\tfor <").append(r).append('>'));
        s.append(";\r\n\t").append(HeaderFields.date(time)).append("\r\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The TLS version and cipher suite of the session. */
    public record Tls(String protocol, String cipherSuite) {}

    /**
     * The "with" protocol name (RFC 3848, RFC 6531 section 3.7.3): SMTP after HELO, ESMTP after
     * EHLO, S for TLS, A for an authenticated client, and UTF8 in front under SMTPUTF8.
     */
    public static String protocol(boolean esmtp, boolean tls, boolean authenticated, boolean smtputf8) {
        if (!esmtp) return "SMTP";
        return (smtputf8 ? "UTF8SMTP" : "ESMTP") + (tls ? "S" : "") + (authenticated ? "A" : "");
    }
}
