package org.cartero.smtp.client;

import java.util.Objects;
import java.util.Optional;
import org.cartero.smtp.protocol.Reply;

/**
 * Why a recipient was not delivered, with what a delivery status notification (RFC 3464) reports.
 *
 * @param status     the enhanced status code (RFC 3463): "4.x.x" for a delay, "5.x.x" for a failure
 * @param remoteHost the server that gave the reply or could not be talked to (the DSN's Remote-MTA);
 *                   empty for a problem found before any connection (DNS, SIZE of a route's host...)
 * @param reply      the server's reply, when it said no (the DSN's Diagnostic-Code "smtp; ...")
 * @param text       one line for logs and the human part of a bounce, e.g. "host mx.example.org[192.0.2.1]:25
 *                   said: 550 5.1.1 no such user (in reply to RCPT TO)"
 */
public record Problem(String status, Optional<RemoteHost> remoteHost, Optional<Reply> reply, String text) {

    public Problem {
        Objects.requireNonNull(status);
        Objects.requireNonNull(remoteHost);
        Objects.requireNonNull(reply);
        Objects.requireNonNull(text);
        if (!status.matches("[45]\\.[0-9]{1,3}\\.[0-9]{1,3}")) throw new IllegalArgumentException("not a failure status: " + status);
    }

    /** Whether the problem is for good (a 5.x.x status). */
    public boolean permanent() {
        return status.charAt(0) == '5';
    }

    /** A problem found without talking to a server: DNS, a local file. */
    static Problem local(String status, String text) {
        return new Problem(status, Optional.empty(), Optional.empty(), text);
    }

    /** A problem with a server that is not a reply of its own: it could not be reached, it broke off. */
    static Problem at(RemoteHost host, String status, String text) {
        return new Problem(status, Optional.of(host), Optional.empty(), text);
    }

    /**
     * A server's refusal: its enhanced code when it sent one, else "4.0.0" or "5.0.0" by the reply
     * code (RFC 3463 section 3.1).
     *
     * @param inReplyTo the command it answered, e.g. "RCPT TO"
     */
    static Problem refusal(RemoteHost host, Reply reply, String inReplyTo) {
        String status = reply.enhancedCode() != null ? reply.enhancedCode() : reply.code() / 100 + ".0.0";
        return new Problem(status, Optional.of(host), Optional.of(reply),
                "host " + host + " said: " + reply + " (in reply to " + inReplyTo + ")");
    }

    /** The same problem as one to try again later, whatever the server's reply class. */
    Problem temporary() {
        return permanent() ? new Problem("4" + status.substring(1), remoteHost, reply, text) : this;
    }
}
