package org.cartero.imap.protocol;

import java.util.List;

/**
 * A response code, the bracketed part of a status response (RFC 9051 section 7.1 and the
 * extensions that define codes). {@link #text()} is its form on the wire, without the brackets.
 */
public sealed interface ResponseCode {

    /** The code as written between "[" and "]". */
    String text();

    /** A code without arguments. */
    record Atom(String name) implements ResponseCode {
        @Override
        public String text() {
            return name;
        }
    }

    Atom ALERT = new Atom("ALERT");
    Atom PARSE = new Atom("PARSE");
    Atom READ_ONLY = new Atom("READ-ONLY");
    Atom READ_WRITE = new Atom("READ-WRITE");
    Atom TRYCREATE = new Atom("TRYCREATE");
    /** RFC 7162 section 3.1.2.2: the mailbox has no mod-sequences. */
    Atom NOMODSEQ = new Atom("NOMODSEQ");
    /** RFC 7162 section 3.2.11: the previously selected mailbox is now closed. */
    Atom CLOSED = new Atom("CLOSED");
    /** RFC 4469 / RFC 9051 7.1: a message or literal is too big. */
    Atom TOOBIG = new Atom("TOOBIG");
    /** RFC 4315: the mailbox does not support persistent UIDs. */
    Atom UIDNOTSTICKY = new Atom("UIDNOTSTICKY");
    /** RFC 3516: a part's content-transfer-encoding is not understood. */
    Atom UNKNOWN_CTE = new Atom("UNKNOWN-CTE");
    /** RFC 4978: a COMPRESS layer is already active. */
    Atom COMPRESSIONACTIVE = new Atom("COMPRESSIONACTIVE");
    /** RFC 5465: notifications were lost; the client must resynchronise. */
    Atom NOTIFICATIONOVERFLOW = new Atom("NOTIFICATIONOVERFLOW");
    // RFC 5530 response codes, part of RFC 9051 section 7.1
    Atom UNAVAILABLE = new Atom("UNAVAILABLE");
    Atom AUTHENTICATIONFAILED = new Atom("AUTHENTICATIONFAILED");
    Atom AUTHORIZATIONFAILED = new Atom("AUTHORIZATIONFAILED");
    Atom EXPIRED = new Atom("EXPIRED");
    Atom PRIVACYREQUIRED = new Atom("PRIVACYREQUIRED");
    Atom CONTACTADMIN = new Atom("CONTACTADMIN");
    Atom NOPERM = new Atom("NOPERM");
    Atom INUSE = new Atom("INUSE");
    Atom EXPUNGEISSUED = new Atom("EXPUNGEISSUED");
    Atom CORRUPTION = new Atom("CORRUPTION");
    Atom SERVERBUG = new Atom("SERVERBUG");
    Atom CLIENTBUG = new Atom("CLIENTBUG");
    Atom CANNOT = new Atom("CANNOT");
    Atom LIMIT = new Atom("LIMIT");
    Atom OVERQUOTA = new Atom("OVERQUOTA");
    Atom ALREADYEXISTS = new Atom("ALREADYEXISTS");
    Atom NONEXISTENT = new Atom("NONEXISTENT");
    Atom HASCHILDREN = new Atom("HASCHILDREN");
    /** RFC 6154 section 3: the special-use attribute is not supported. */
    Atom USEATTR = new Atom("USEATTR");

    /** A code with one number: UIDNEXT, UIDVALIDITY, UNSEEN, HIGHESTMODSEQ. */
    record Number(String name, long value) implements ResponseCode {
        @Override
        public String text() {
            return name + " " + value;
        }
    }

    static Number uidNext(long uid) {
        return new Number("UIDNEXT", uid);
    }

    static Number uidValidity(long uidValidity) {
        return new Number("UIDVALIDITY", uidValidity);
    }

    static Number unseen(long sequenceNumber) {
        return new Number("UNSEEN", sequenceNumber);
    }

    /** RFC 7162 section 3.1.2.1. */
    static Number highestModSeq(long modSeq) {
        return new Number("HIGHESTMODSEQ", modSeq);
    }

    /** BADCHARSET with the charsets the server supports. */
    record BadCharset(List<String> charsets) implements ResponseCode {
        public BadCharset {
            charsets = List.copyOf(charsets);
        }

        @Override
        public String text() {
            return charsets.isEmpty() ? "BADCHARSET" : "BADCHARSET (" + String.join(" ", charsets) + ")";
        }
    }

    /** CAPABILITY, as in a greeting or an authentication's OK. */
    record Capability(List<String> capabilities) implements ResponseCode {
        public Capability {
            capabilities = List.copyOf(capabilities);
        }

        @Override
        public String text() {
            return "CAPABILITY " + String.join(" ", capabilities);
        }
    }

    /** PERMANENTFLAGS, "\*" included when new keywords may be created. */
    record PermanentFlags(List<String> flags) implements ResponseCode {
        public PermanentFlags {
            flags = List.copyOf(flags);
        }

        @Override
        public String text() {
            return "PERMANENTFLAGS (" + String.join(" ", flags) + ")";
        }
    }

    /** RFC 4315 APPENDUID; several UIDs for MULTIAPPEND (RFC 3502). */
    record AppendUid(long uidValidity, SequenceSet uids) implements ResponseCode {
        @Override
        public String text() {
            return "APPENDUID " + uidValidity + " " + uids;
        }
    }

    /** RFC 4315 COPYUID: source UIDs and the UIDs of their copies, in the same order. */
    record CopyUid(long uidValidity, SequenceSet source, SequenceSet destination) implements ResponseCode {
        @Override
        public String text() {
            return "COPYUID " + uidValidity + " " + source + " " + destination;
        }
    }

    /** RFC 7162: messages that failed the UNCHANGEDSINCE test. */
    record Modified(SequenceSet set) implements ResponseCode {
        @Override
        public String text() {
            return "MODIFIED " + set;
        }
    }

    /** RFC 4469: the URL of a CATENATE part that could not be used. */
    record BadUrl(String url) implements ResponseCode {
        @Override
        public String text() {
            // url-resp-text excludes "]" and CR/LF, which end the code
            return "BADURL " + url.replaceAll("[\\]\\r\\n\\x00]", "");
        }
    }

    /** RFC 5465: the events the server supports. */
    record BadEvent(List<String> events) implements ResponseCode {
        public BadEvent {
            events = List.copyOf(events);
        }

        @Override
        public String text() {
            return "BADEVENT (" + String.join(" ", events) + ")";
        }
    }

    /** RFC 5267: an UPDATE search with this tag is no longer updated. */
    record NoUpdate(String searchTag) implements ResponseCode {
        @Override
        public String text() {
            return "NOUPDATE " + ResponseWriter.quote(searchTag);
        }
    }

    /** RFC 4467: the URLAUTH mechanisms of a mailbox. */
    record UrlMech(List<String> mechanisms) implements ResponseCode {
        public UrlMech {
            mechanisms = List.copyOf(mechanisms);
        }

        @Override
        public String text() {
            return mechanisms.isEmpty() ? "URLMECH" : "URLMECH " + String.join(" ", mechanisms);
        }
    }
}
