package org.cartero.smtp.protocol;

/**
 * A command that cannot be carried out, with the reply that tells the client why. Raised where
 * the problem is found (the parser, later the session's checks) and turned into that reply in one
 * place, so handlers do not pass reply codes around by hand.
 */
public final class SmtpException extends Exception {

    private final Reply reply;

    public SmtpException(Reply reply) {
        // The reply is the whole story; a stack trace would only cost time on every bad command.
        super(reply.toString(), null, false, false);
        this.reply = reply;
    }

    public SmtpException(int code, String enhancedCode, String text) {
        this(Reply.of(code, enhancedCode, text));
    }

    public Reply reply() {
        return reply;
    }
}
