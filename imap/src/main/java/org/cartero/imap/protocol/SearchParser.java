package org.cartero.imap.protocol;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * SEARCH (RFC 9051 section 6.4.4), SORT and THREAD (RFC 5256): the RETURN options, CHARSET and
 * the search keys, parsed into a {@link SearchKey} tree.
 */
final class SearchParser {

    /** Deeper nesting of NOT, OR and parentheses is refused, so a hostile command cannot exhaust the stack. */
    static final int MAX_DEPTH = 64;

    /** Charsets named in BADCHARSET; any charset Java knows is accepted. */
    private static final List<String> ADVERTISED_CHARSETS = List.of("US-ASCII", "UTF-8");

    private final Arguments a;
    private final Charset charset;

    private SearchParser(Arguments a, Charset charset) {
        this.a = a;
        this.charset = charset;
    }

    /** search = "SEARCH" [search-return-opts] SP search-program (RFC 9051, RFC 4731). */
    static Command search(Arguments a, boolean uid) throws ProtocolException, IOException {
        a.sp();
        SearchReturn returnOptions = optionalReturnOptions(a);
        Charset charset = StandardCharsets.UTF_8;
        if (a.tryKeyword("CHARSET")) {
            a.sp();
            charset = charset(a);
            a.sp();
        }
        return new Command.Search(uid, returnOptions, new SearchParser(a, charset).program());
    }

    /**
     * sort = "SORT" [search-return-opts] SP sort-criteria SP charset 1*(SP search-key)
     * (RFC 5256 section 5, RETURN of RFC 5267).
     */
    static Command sort(Arguments a, boolean uid) throws ProtocolException, IOException {
        a.sp();
        SearchReturn returnOptions = optionalReturnOptions(a);
        a.expect('(');
        List<Command.SortCriterion> criteria = new ArrayList<>();
        do {
            boolean reverse = a.tryKeyword("REVERSE");
            if (reverse) a.sp();
            String name = a.keyword("a sort key");
            try {
                criteria.add(new Command.SortCriterion(Command.SortKey.valueOf(name), reverse));
            } catch (IllegalArgumentException e) {
                throw ProtocolException.bad("Unknown sort key " + name);
            }
        } while (a.trySp());
        a.expect(')');
        a.sp();
        Charset charset = charset(a);
        a.sp();
        return new Command.Sort(uid, returnOptions, criteria, new SearchParser(a, charset).program());
    }

    /** thread = "THREAD" SP thread-alg SP charset 1*(SP search-key) (RFC 5256 section 5). */
    static Command thread(Arguments a, boolean uid) throws ProtocolException, IOException {
        a.sp();
        String name = a.keyword("a threading algorithm");
        Command.ThreadAlgorithm algorithm;
        try {
            algorithm = Command.ThreadAlgorithm.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.bad("Unknown threading algorithm " + name);
        }
        a.sp();
        Charset charset = charset(a);
        a.sp();
        return new Command.Thread(uid, algorithm, new SearchParser(a, charset).program());
    }

    /**
     * charset = atom / quoted. One Java does not know gets NO [BADCHARSET] (RFC 9051 6.4.4) once
     * the command is parsed; its strings are read as ISO-8859-1 meanwhile.
     */
    private static Charset charset(Arguments a) throws ProtocolException, IOException {
        String name = a.peek() == '"' ? a.string() : a.atom();
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException e) {
            a.refuseLater(ProtocolException.no(new ResponseCode.BadCharset(ADVERTISED_CHARSETS), "Unsupported charset " + name));
            return StandardCharsets.ISO_8859_1;
        }
    }

    /**
     * ["RETURN" SP "(" [search-return-opt *(SP search-return-opt)] ")" SP], the options MIN,
     * MAX, ALL, COUNT (RFC 4731), SAVE (RFC 5182), CONTEXT, UPDATE (RFC 5267) and
     * PARTIAL SP partial-range (RFC 9394: "n:m" or "-n:-m"); null when not given.
     */
    private static SearchReturn optionalReturnOptions(Arguments a) throws ProtocolException {
        if (!a.tryKeyword("RETURN")) return null;
        a.sp();
        a.expect('(');
        Set<SearchReturn.Option> options = EnumSet.noneOf(SearchReturn.Option.class);
        SearchReturn.PartialRange partial = null;
        if (!a.tryChar(')')) {
            do {
                String name = a.keyword("a RETURN option");
                if (name.equals("PARTIAL")) {
                    a.sp();
                    partial = partialRange(a);
                    continue;
                }
                try {
                    options.add(SearchReturn.Option.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw ProtocolException.bad("Unknown RETURN option " + name);
                }
            } while (a.trySp());
            a.expect(')');
        }
        a.sp();
        // RFC 4731 section 3.1: RETURN () is RETURN (ALL)
        if (options.isEmpty() && partial == null) options.add(SearchReturn.Option.ALL);
        return new SearchReturn(options, partial);
    }

    private static SearchReturn.PartialRange partialRange(Arguments a) throws ProtocolException {
        boolean fromEnd = a.tryChar('-');
        long first = a.nzNumber();
        if (!a.tryChar(':')) throw a.bad("PARTIAL needs a range like 1:100");
        if (fromEnd != a.tryChar('-')) throw a.bad("Both ends of a PARTIAL range must count from the same end");
        long last = a.nzNumber();
        long sign = fromEnd ? -1 : 1;
        return new SearchReturn.PartialRange(sign * Math.min(first, last), sign * Math.max(first, last));
    }

    /** search-program: search-key *(SP search-key), the keys ANDed. */
    private SearchKey program() throws ProtocolException, IOException {
        List<SearchKey> keys = new ArrayList<>();
        do {
            keys.add(key(0));
        } while (a.trySp());
        return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
    }

    private SearchKey key(int depth) throws ProtocolException, IOException {
        if (depth > MAX_DEPTH) throw ProtocolException.bad("Search keys are nested more than " + MAX_DEPTH + " deep");
        if (a.tryChar('(')) {
            List<SearchKey> keys = new ArrayList<>();
            do {
                keys.add(key(depth + 1));
            } while (a.trySp());
            a.expect(')');
            return keys.size() == 1 ? keys.getFirst() : new SearchKey.And(keys);
        }
        if (Arguments.isSequenceChar(a.peek())) return new SearchKey.Messages(a.sequenceSet(), false);
        String name = a.keyword("a search key");
        return switch (name) {
            case "ALL" -> new SearchKey.All();
            case "ANSWERED" -> new SearchKey.Flag("\\Answered", true);
            case "DELETED" -> new SearchKey.Flag("\\Deleted", true);
            case "DRAFT" -> new SearchKey.Flag("\\Draft", true);
            case "FLAGGED" -> new SearchKey.Flag("\\Flagged", true);
            case "SEEN" -> new SearchKey.Flag("\\Seen", true);
            case "RECENT" -> new SearchKey.Flag("\\Recent", true);
            case "UNANSWERED" -> new SearchKey.Flag("\\Answered", false);
            case "UNDELETED" -> new SearchKey.Flag("\\Deleted", false);
            case "UNDRAFT" -> new SearchKey.Flag("\\Draft", false);
            case "UNFLAGGED" -> new SearchKey.Flag("\\Flagged", false);
            case "UNSEEN" -> new SearchKey.Flag("\\Seen", false);
            case "OLD" -> new SearchKey.Flag("\\Recent", false);
            case "NEW" -> new SearchKey.And(List.of(new SearchKey.Flag("\\Recent", true), new SearchKey.Flag("\\Seen", false)));
            case "KEYWORD" -> new SearchKey.Flag(keywordArgument(), true);
            case "UNKEYWORD" -> new SearchKey.Flag(keywordArgument(), false);
            case "FROM" -> text(SearchKey.TextField.FROM);
            case "TO" -> text(SearchKey.TextField.TO);
            case "CC" -> text(SearchKey.TextField.CC);
            case "BCC" -> text(SearchKey.TextField.BCC);
            case "SUBJECT" -> text(SearchKey.TextField.SUBJECT);
            case "BODY" -> text(SearchKey.TextField.BODY);
            case "TEXT" -> text(SearchKey.TextField.TEXT);
            case "HEADER" -> header();
            case "BEFORE" -> date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.BEFORE);
            case "ON" -> date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.ON);
            case "SINCE" -> date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE);
            case "SENTBEFORE" -> date(SearchKey.DateField.SENT, SearchKey.Comparison.BEFORE);
            case "SENTON" -> date(SearchKey.DateField.SENT, SearchKey.Comparison.ON);
            case "SENTSINCE" -> date(SearchKey.DateField.SENT, SearchKey.Comparison.SINCE);
            case "LARGER" -> size(true);
            case "SMALLER" -> size(false);
            case "UID" -> {
                a.sp();
                yield new SearchKey.Messages(a.sequenceSet(), true);
            }
            case "NOT" -> {
                a.sp();
                yield new SearchKey.Not(key(depth + 1));
            }
            case "OR" -> {
                a.sp();
                SearchKey left = key(depth + 1);
                a.sp();
                yield new SearchKey.Or(left, key(depth + 1));
            }
            case "MODSEQ" -> modSeq();
            case "OLDER" -> age(true);
            case "YOUNGER" -> age(false);
            default -> throw ProtocolException.bad("Unknown search key " + name);
        };
    }

    private String keywordArgument() throws ProtocolException {
        a.sp();
        return a.atom();
    }

    private SearchKey text(SearchKey.TextField field) throws ProtocolException, IOException {
        a.sp();
        return new SearchKey.Text(field, a.astring(charset));
    }

    /** "HEADER" SP header-fld-name SP astring. */
    private SearchKey header() throws ProtocolException, IOException {
        a.sp();
        String name = a.astring();
        a.sp();
        return new SearchKey.Header(name, a.astring(charset));
    }

    private SearchKey date(SearchKey.DateField field, SearchKey.Comparison comparison) throws ProtocolException {
        a.sp();
        return new SearchKey.Date(field, comparison, a.date());
    }

    private SearchKey size(boolean larger) throws ProtocolException {
        a.sp();
        return new SearchKey.Size(larger, a.number64());
    }

    /**
     * RFC 7162 section 3.1.5: "MODSEQ" [SP entry-name SP entry-type-req] SP mod-sequence-valzer,
     * where entry-name is DQUOTE "/flags/" attr-flag DQUOTE and entry-type-req is "priv",
     * "shared" or "all".
     */
    private SearchKey modSeq() throws ProtocolException, IOException {
        a.sp();
        String flag = null;
        String entryType = null;
        if (a.peek() == '"') {
            String entry = a.string();
            if (!entry.regionMatches(true, 0, "/flags/", 0, 7) || entry.length() == 7) {
                throw ProtocolException.bad("MODSEQ entry name must be \"/flags/\" and a flag, not " + entry);
            }
            flag = entry.substring(7);
            a.sp();
            entryType = a.keyword("priv, shared or all").toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("priv", "shared", "all").contains(entryType)) {
                throw ProtocolException.bad("MODSEQ entry type must be priv, shared or all, not " + entryType);
            }
            a.sp();
        }
        return new SearchKey.ModSeq(a.number64(), flag, entryType);
    }

    /** RFC 5032: "OLDER" / "YOUNGER" SP nz-number (seconds). */
    private SearchKey age(boolean older) throws ProtocolException {
        a.sp();
        return new SearchKey.Age(older, a.nzNumber());
    }
}
