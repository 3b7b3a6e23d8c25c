package org.cartero.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** FETCH (RFC 9051 section 6.4.5, BINARY of RFC 3516, the modifiers of RFC 7162). */
final class FetchParser {

    private static final List<FetchAttribute> FAST = List.of(FetchAttribute.Simple.FLAGS,
            FetchAttribute.Simple.INTERNALDATE, FetchAttribute.Simple.RFC822_SIZE);
    private static final List<FetchAttribute> ALL = List.of(FetchAttribute.Simple.FLAGS,
            FetchAttribute.Simple.INTERNALDATE, FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE);
    private static final List<FetchAttribute> FULL = List.of(FetchAttribute.Simple.FLAGS,
            FetchAttribute.Simple.INTERNALDATE, FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE,
            FetchAttribute.Simple.BODY);

    private FetchParser() {
    }

    /**
     * fetch = "FETCH" SP sequence-set SP ("ALL" / "FULL" / "FAST" / fetch-att /
     * "(" fetch-att *(SP fetch-att) ")") [fetch-modifiers], the modifiers being
     * "CHANGEDSINCE" SP mod-sequence-value and "VANISHED" (RFC 7162).
     */
    static Command fetch(Arguments a, boolean uid) throws ProtocolException, IOException {
        a.sp();
        SequenceSet set = a.sequenceSet();
        a.sp();
        List<FetchAttribute> attributes;
        if (a.peek() == '(') {
            attributes = attributeList(a);
        } else if (a.tryKeyword("ALL")) {
            attributes = ALL;
        } else if (a.tryKeyword("FAST")) {
            attributes = FAST;
        } else if (a.tryKeyword("FULL")) {
            attributes = FULL;
        } else {
            attributes = List.of(attribute(a));
        }
        OptionalLong changedSince = OptionalLong.empty();
        boolean vanished = false;
        if (a.trySp()) {
            a.expect('(');
            do {
                String modifier = a.keyword("a FETCH modifier");
                switch (modifier) {
                    case "CHANGEDSINCE" -> {
                        a.sp();
                        changedSince = OptionalLong.of(a.number64());
                    }
                    case "VANISHED" -> vanished = true;
                    default -> throw ProtocolException.bad("Unknown FETCH modifier " + modifier);
                }
            } while (a.trySp());
            a.expect(')');
        }
        // RFC 7162: VANISHED only in UID FETCH, and only with CHANGEDSINCE
        if (vanished && !uid) throw ProtocolException.bad("VANISHED is only allowed in UID FETCH");
        if (vanished && changedSince.isEmpty()) throw ProtocolException.bad("VANISHED needs CHANGEDSINCE");
        return new Command.Fetch(uid, set, attributes, changedSince, vanished);
    }

    /** "(" fetch-att *(SP fetch-att) ")", also the attributes of NOTIFY's MessageNew. */
    static List<FetchAttribute> attributeList(Arguments a) throws ProtocolException, IOException {
        a.expect('(');
        List<FetchAttribute> attributes = new ArrayList<>();
        do {
            attributes.add(attribute(a));
        } while (a.trySp());
        a.expect(')');
        return attributes;
    }

    static FetchAttribute attribute(Arguments a) throws ProtocolException, IOException {
        String name = a.dottedName("a FETCH attribute");
        if (!(name.equals("BODY") && a.peek() == '[')) {
            for (FetchAttribute.Simple simple : FetchAttribute.Simple.values()) {
                if (simple.atom().equals(name)) return simple;
            }
        }
        return switch (name) {
            case "BODY" -> bodySection(a, false);
            case "BODY.PEEK" -> bodySection(a, true);
            case "BINARY" -> new FetchAttribute.Binary(binarySection(a), false, partial(a));
            case "BINARY.PEEK" -> new FetchAttribute.Binary(binarySection(a), true, partial(a));
            case "BINARY.SIZE" -> new FetchAttribute.BinarySize(binarySection(a));
            default -> throw ProtocolException.bad("Unknown FETCH attribute " + name);
        };
    }

    private static FetchAttribute bodySection(Arguments a, boolean peek) throws ProtocolException, IOException {
        return new FetchAttribute.BodySection(section(a), peek, partial(a));
    }

    /**
     * section = "[" [section-spec] "]"; section-spec = section-msgtext / (section-part ["."
     * section-text]); section-msgtext = "HEADER" / "HEADER.FIELDS" [".NOT"] SP header-list /
     * "TEXT"; section-text = section-msgtext / "MIME" (MIME only after a part number).
     */
    private static Section section(Arguments a) throws ProtocolException, IOException {
        a.expect('[');
        List<Integer> part = new ArrayList<>();
        Section.Text text = null;
        List<String> fields = List.of();
        if (a.peek() != ']') {
            if (a.peek() >= '0' && a.peek() <= '9') {
                part.add(partNumber(a));
                while (a.tryChar('.')) {
                    if (a.peek() >= '0' && a.peek() <= '9') {
                        part.add(partNumber(a));
                    } else {
                        text = sectionText(a, true);
                        break;
                    }
                }
            } else {
                text = sectionText(a, false);
            }
            if (text == Section.Text.HEADER_FIELDS || text == Section.Text.HEADER_FIELDS_NOT) {
                a.sp();
                fields = headerList(a);
            }
        }
        a.expect(']');
        return new Section(part, text, fields);
    }

    private static Section.Text sectionText(Arguments a, boolean afterPart) throws ProtocolException {
        String name = a.dottedName("HEADER, HEADER.FIELDS, HEADER.FIELDS.NOT, TEXT or MIME");
        for (Section.Text text : Section.Text.values()) {
            if (text.atom().equals(name)) {
                if (text == Section.Text.MIME && !afterPart) throw ProtocolException.bad("MIME needs a part number, as in [1.MIME]");
                return text;
            }
        }
        throw ProtocolException.bad("Unknown section " + name);
    }

    /** header-list = "(" header-fld-name *(SP header-fld-name) ")", header-fld-name = astring. */
    private static List<String> headerList(Arguments a) throws ProtocolException, IOException {
        a.expect('(');
        List<String> fields = new ArrayList<>();
        do {
            fields.add(a.astring());
        } while (a.trySp());
        a.expect(')');
        return fields;
    }

    /** section-binary = "[" [section-part] "]" (RFC 3516). */
    private static List<Integer> binarySection(Arguments a) throws ProtocolException {
        a.expect('[');
        List<Integer> part = new ArrayList<>();
        if (a.peek() != ']') {
            do {
                part.add(partNumber(a));
            } while (a.tryChar('.'));
        }
        a.expect(']');
        return part;
    }

    private static int partNumber(Arguments a) throws ProtocolException {
        long n = a.nzNumber();
        if (n > Integer.MAX_VALUE) throw ProtocolException.bad("Part number " + n + " is too large");
        return (int) n;
    }

    /** partial = "&lt;" number64 "." nz-number64 "&gt;". */
    private static FetchAttribute.Partial partial(Arguments a) throws ProtocolException {
        if (!a.tryChar('<')) return null;
        long offset = a.number64();
        a.expect('.');
        long length = a.number64();
        if (length == 0) throw a.bad("The length of a partial fetch cannot be 0");
        a.expect('>');
        return new FetchAttribute.Partial(offset, length);
    }
}
