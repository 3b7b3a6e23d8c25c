package org.cartero.smtp.protocol;

import java.util.Optional;
import org.cartero.core.mail.MailAddress;

/**
 * An SMTP command as {@link CommandParser} reads it from a client (RFC 5321 section 4.1 and the
 * extensions), or as Cartero's own client writes it with {@link #line()}.
 */
public sealed interface Command {

    /** The command line as a client sends it, without the CRLF. */
    String line();

    /** EHLO (RFC 5321 section 4.1.1.1): a domain or address literal. */
    record Ehlo(String domain) implements Command {
        public String line() {
            return "EHLO " + domain;
        }
    }

    /** HELO (RFC 5321 section 4.1.1.1): the client will use no service extensions. */
    record Helo(String domain) implements Command {
        public String line() {
            return "HELO " + domain;
        }
    }

    /** MAIL (RFC 5321 section 4.1.1.2); the sender is empty for the null reverse-path "&lt;&gt;". */
    record Mail(Optional<MailAddress> sender, MailParameters parameters) implements Command {
        public String line() {
            return "MAIL FROM:<" + sender.map(MailAddress::toString).orElse("") + ">" + parameters.encode();
        }
    }

    /**
     * RCPT (RFC 5321 section 4.1.1.3). A bare "&lt;Postmaster&gt;" is given as Postmaster at the
     * parser's local domain; a source route has been dropped (RFC 5321 section 4.1.1.3).
     */
    record Rcpt(MailAddress recipient, RcptParameters parameters) implements Command {
        public String line() {
            return "RCPT TO:<" + recipient + ">" + parameters.encode();
        }
    }

    /** DATA (RFC 5321 section 4.1.1.4): the content follows, dot-stuffed, up to CRLF.CRLF. */
    record Data() implements Command {
        public String line() {
            return "DATA";
        }
    }

    /** BDAT (RFC 3030 section 2): exactly {@code size} octets of content follow the command line. */
    record Bdat(long size, boolean last) implements Command {
        public String line() {
            return "BDAT " + size + (last ? " LAST" : "");
        }
    }

    /** RSET (RFC 5321 section 4.1.1.5). */
    record Rset() implements Command {
        public String line() {
            return "RSET";
        }
    }

    /** NOOP (RFC 5321 section 4.1.1.9); the argument, if any, means nothing. */
    record Noop(String argument) implements Command {
        public String line() {
            return argument.isEmpty() ? "NOOP" : "NOOP " + argument;
        }
    }

    /** VRFY (RFC 5321 section 4.1.1.6), with the SMTPUTF8 parameter of RFC 6531 section 3.7.4.1. */
    record Vrfy(String argument, boolean smtputf8) implements Command {
        public String line() {
            return "VRFY " + argument + (smtputf8 ? " SMTPUTF8" : "");
        }
    }

    /** EXPN (RFC 5321 section 4.1.1.7), with the SMTPUTF8 parameter of RFC 6531 section 3.7.4.1. */
    record Expn(String argument, boolean smtputf8) implements Command {
        public String line() {
            return "EXPN " + argument + (smtputf8 ? " SMTPUTF8" : "");
        }
    }

    /** HELP (RFC 5321 section 4.1.1.8); the topic is empty when none was given. */
    record Help(String topic) implements Command {
        public String line() {
            return topic.isEmpty() ? "HELP" : "HELP " + topic;
        }
    }

    /** QUIT (RFC 5321 section 4.1.1.10). */
    record Quit() implements Command {
        public String line() {
            return "QUIT";
        }
    }

    /** STARTTLS (RFC 3207 section 4). */
    record StartTls() implements Command {
        public String line() {
            return "STARTTLS";
        }
    }

    /**
     * AUTH (RFC 4954 section 4): the mechanism in upper case and the initial response as sent,
     * still base64 ("=" stands for an empty response).
     */
    record Auth(String mechanism, Optional<String> initialResponse) implements Command {
        public String line() {
            return "AUTH " + mechanism + initialResponse.map(r -> " " + r).orElse("");
        }
    }
}
