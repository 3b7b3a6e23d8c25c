package org.cartero.imap.protocol;

import java.util.List;

/**
 * The MIME structure of a message, for FETCH BODY and BODYSTRUCTURE (RFC 9051 section 7.5.2)
 * and URLFETCH's BODYPARTSTRUCTURE (RFC 5524). Strings are null when absent (NIL); empty lists
 * are NIL. BODY leaves out the extension data ({@code md5} and {@link Extension}).
 */
public sealed interface BodyStructure {

    /** A part that is neither text, nor a message, nor multipart. */
    record Basic(Fields fields, String md5, Extension extension) implements BodyStructure {
    }

    /** A text/* part, with its size in lines. */
    record Text(Fields fields, long lines, String md5, Extension extension) implements BodyStructure {
    }

    /** A message/rfc822 (or message/global) part: the nested message's envelope and structure. */
    record Message(Fields fields, Envelope envelope, BodyStructure body, long lines, String md5,
                   Extension extension) implements BodyStructure {
    }

    /** A multipart/* part: its parts, subtype, and the multipart extension data. */
    record Multipart(List<BodyStructure> parts, String subtype, List<Parameter> parameters,
                     Extension extension) implements BodyStructure {
        public Multipart {
            if (parts.isEmpty()) throw new IllegalArgumentException("a multipart has at least one part");
            parts = List.copyOf(parts);
            parameters = List.copyOf(parameters);
        }
    }

    /**
     * body-fields and the media type: type and subtype, Content-Type parameters, Content-ID,
     * Content-Description, Content-Transfer-Encoding, and the size in octets (of the encoded body).
     */
    record Fields(String type, String subtype, List<Parameter> parameters, String id, String description,
                  String encoding, long size) {
        public Fields {
            parameters = List.copyOf(parameters);
        }
    }

    /** An attribute = value parameter of Content-Type or Content-Disposition. */
    record Parameter(String name, String value) {
    }

    /** Content-Disposition: its type ("inline", "attachment") and parameters. */
    record Disposition(String type, List<Parameter> parameters) {
        public Disposition {
            parameters = List.copyOf(parameters);
        }
    }

    /** The extension data common to every part: disposition, Content-Language, Content-Location. */
    record Extension(Disposition disposition, List<String> language, String location) {
        public static final Extension NONE = new Extension(null, List.of(), null);

        public Extension {
            language = List.copyOf(language);
        }
    }
}
