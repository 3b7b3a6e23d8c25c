package org.cartero.smtp.protocol;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The parameters of a MAIL command (RFC 5321 section 4.1.1.2, Mail-parameters), each checked
 * against its own grammar by {@link CommandParser}.
 *
 * @param size       SIZE= (RFC 1870): the size the client declares for the message
 * @param body       BODY= (RFC 6152, RFC 3030)
 * @param smtputf8   SMTPUTF8 (RFC 6531): the transaction may carry UTF-8 addresses and headers
 * @param ret        RET= (RFC 3461 section 4.3): what a failure notification returns
 * @param envelopeId ENVID= (RFC 3461 section 4.4), decoded from xtext
 * @param auth       AUTH= (RFC 4954 section 5), decoded from xtext: "&lt;&gt;" or a mailbox
 */
public record MailParameters(OptionalLong size, Optional<Body> body, boolean smtputf8, Optional<Ret> ret,
                             Optional<String> envelopeId, Optional<String> auth) {

    public static final MailParameters NONE = new MailParameters(
            OptionalLong.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());

    /** BODY= values. */
    public enum Body {
        /** RFC 6152: lines of 7-bit text. */
        SEVEN_BIT("7BIT"),
        /** RFC 6152: lines of text that may use octets above 127. */
        EIGHT_BIT_MIME("8BITMIME"),
        /** RFC 3030: any octets, not in lines; only sent with BDAT. */
        BINARY_MIME("BINARYMIME");

        private final String keyword;

        Body(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** RET= values (RFC 3461 section 4.3). */
    public enum Ret {
        /** Return the whole message in a failure notification. */
        FULL,
        /** Return only the headers. */
        HDRS
    }

    /** The parameters as they follow the path on the wire, each preceded by a space. */
    String encode() {
        StringBuilder out = new StringBuilder();
        size.ifPresent(s -> out.append(" SIZE=").append(s));
        body.ifPresent(b -> out.append(" BODY=").append(b.keyword()));
        if (smtputf8) out.append(" SMTPUTF8");
        ret.ifPresent(r -> out.append(" RET=").append(r));
        envelopeId.ifPresent(id -> out.append(" ENVID=").append(Xtext.encode(id)));
        auth.ifPresent(a -> out.append(" AUTH=").append(Xtext.encode(a)));
        return out.toString();
    }
}
