package org.cartero.imap.protocol;

import java.util.List;

/**
 * The section of BODY[section] (RFC 9051 section 6.4.5): a part number, then HEADER,
 * HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME. The FETCH response repeats it as asked.
 *
 * @param part the part number ("1.2" is [1, 2]); empty for the whole message
 * @param text what of the part, or null for all of it
 * @param headerFields the field names of HEADER.FIELDS and HEADER.FIELDS.NOT, as written
 */
public record Section(List<Integer> part, Text text, List<String> headerFields) {

    public enum Text {
        HEADER("HEADER"), HEADER_FIELDS("HEADER.FIELDS"), HEADER_FIELDS_NOT("HEADER.FIELDS.NOT"),
        TEXT("TEXT"), MIME("MIME");

        private final String atom;

        Text(String atom) {
            this.atom = atom;
        }

        public String atom() {
            return atom;
        }
    }

    /** BODY[]: the whole message. */
    public static final Section WHOLE = new Section(List.of(), null, List.of());

    public Section {
        part = List.copyOf(part);
        headerFields = List.copyOf(headerFields);
    }
}
