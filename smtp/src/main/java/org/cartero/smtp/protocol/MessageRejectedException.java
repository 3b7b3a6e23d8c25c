package org.cartero.smtp.protocol;

import java.io.IOException;

/**
 * Thrown by {@link DataReader} and {@link ChunkReader} streams instead of a clean end of the
 * message when the content must be refused (too big, bare CR or LF). It is thrown only once the
 * whole of the data has been read off the connection, so the session answers with {@link #reply()}
 * and reads the next command in step with the client. Whoever was storing the content must
 * throw away what it wrote.
 */
public final class MessageRejectedException extends IOException {

    private final Reply reply;

    public MessageRejectedException(Reply reply) {
        super(reply.toString());
        this.reply = reply;
    }

    /** RFC 1870 section 6.1 and RFC 3463 X.3.4: the message is larger than the server takes. */
    static Reply tooBig(long maxSize) {
        return Reply.of(552, "5.3.4", "Message too big: the limit is " + maxSize + " octets");
    }

    public Reply reply() {
        return reply;
    }
}
