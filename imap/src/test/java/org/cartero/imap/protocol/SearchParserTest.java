package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** SEARCH keys, CHARSET and RETURN options; SORT and THREAD. */
class SearchParserTest {

    private static SearchKey key(String keys) {
        return ((Command.Search) Wire.parse("SEARCH " + keys)).key();
    }

    private static SearchKey.Flag flag(String flag, boolean set) {
        return new SearchKey.Flag(flag, set);
    }

    @Test
    void everySearchKey() {
        assertThat(key("ALL")).isEqualTo(new SearchKey.All());
        assertThat(key("answered deleted draft flagged seen recent")).isEqualTo(new SearchKey.And(List.of(
                flag("\\Answered", true), flag("\\Deleted", true), flag("\\Draft", true), flag("\\Flagged", true),
                flag("\\Seen", true), flag("\\Recent", true))));
        assertThat(key("UNANSWERED UNDELETED UNDRAFT UNFLAGGED UNSEEN OLD")).isEqualTo(new SearchKey.And(List.of(
                flag("\\Answered", false), flag("\\Deleted", false), flag("\\Draft", false), flag("\\Flagged", false),
                flag("\\Seen", false), flag("\\Recent", false))));
        assertThat(key("NEW")).isEqualTo(new SearchKey.And(List.of(flag("\\Recent", true), flag("\\Seen", false))));
        assertThat(key("KEYWORD $Junk UNKEYWORD $hello")).isEqualTo(new SearchKey.And(List.of(
                flag("$Junk", true), flag("$hello", false))));
        assertThat(key("FROM Smith TO \"a b\" CC c BCC d SUBJECT {5}\r\nhello BODY e TEXT f")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Text(SearchKey.TextField.FROM, "Smith"), new SearchKey.Text(SearchKey.TextField.TO, "a b"),
                new SearchKey.Text(SearchKey.TextField.CC, "c"), new SearchKey.Text(SearchKey.TextField.BCC, "d"),
                new SearchKey.Text(SearchKey.TextField.SUBJECT, "hello"), new SearchKey.Text(SearchKey.TextField.BODY, "e"),
                new SearchKey.Text(SearchKey.TextField.TEXT, "f"))));
        assertThat(key("HEADER X-Extra \"\"")).isEqualTo(new SearchKey.Header("X-Extra", ""));
        LocalDate date = LocalDate.of(2007, 3, 24);
        assertThat(key("BEFORE 24-mar-2007 ON \"24-Mar-2007\" SINCE 24-MAR-2007")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.BEFORE, date),
                new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.ON, date),
                new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE, date))));
        assertThat(key("SENTBEFORE 1-Feb-1994 SENTON 01-Feb-1994 SENTSINCE 1-Feb-1994")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.Comparison.BEFORE, LocalDate.of(1994, 2, 1)),
                new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.Comparison.ON, LocalDate.of(1994, 2, 1)),
                new SearchKey.Date(SearchKey.DateField.SENT, SearchKey.Comparison.SINCE, LocalDate.of(1994, 2, 1)))));
        assertThat(key("LARGER 1024 SMALLER 8000000000")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Size(true, 1024), new SearchKey.Size(false, 8_000_000_000L))));
        assertThat(key("1:3,5 UID 4:2,* $")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Messages(SequenceSet.parse("1:3,5"), false),
                new SearchKey.Messages(SequenceSet.parse("4:2,*"), true),
                new SearchKey.Messages(SequenceSet.SAVED, false))));
        assertThat(key("OLDER 3600 YOUNGER 60")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Age(true, 3600), new SearchKey.Age(false, 60))));
    }

    @Test
    void notOrAndParentheses() {
        assertThat(key("OR 1 UID 3")).isEqualTo(new SearchKey.Or(new SearchKey.Messages(SequenceSet.parse("1"), false),
                new SearchKey.Messages(SequenceSet.parse("3"), true)));
        assertThat(key("NOT (SEEN FLAGGED) OR NOT DRAFT (LARGER 5)")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Not(new SearchKey.And(List.of(flag("\\Seen", true), flag("\\Flagged", true)))),
                new SearchKey.Or(new SearchKey.Not(flag("\\Draft", true)), new SearchKey.Size(true, 5)))));
        assertThat(key("(3) UID 4")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Messages(SequenceSet.parse("3"), false), new SearchKey.Messages(SequenceSet.parse("4"), true))));
        assertThat(key("OR OR 1 2 3")).isEqualTo(new SearchKey.Or(new SearchKey.Or(
                new SearchKey.Messages(SequenceSet.parse("1"), false), new SearchKey.Messages(SequenceSet.parse("2"), false)),
                new SearchKey.Messages(SequenceSet.parse("3"), false)));
    }

    @Test
    void modseqWithAndWithoutAFlagEntry() {
        assertThat(key("MODSEQ 620162338")).isEqualTo(new SearchKey.ModSeq(620162338, null, null));
        // imaptest "esearch-condstore": the entry name is a quoted string with an escaped backslash
        assertThat(key("1:3 MODSEQ \"/flags/\\\\seen\" all 1")).isEqualTo(new SearchKey.And(List.of(
                new SearchKey.Messages(SequenceSet.parse("1:3"), false), new SearchKey.ModSeq(1, "\\seen", "all"))));
        assertThat(key("MODSEQ \"/flags/$Junk\" PRIV 0")).isEqualTo(new SearchKey.ModSeq(0, "$Junk", "priv"));
        assertThat(Wire.refuse("SEARCH MODSEQ \"/anno/x\" all 1").text()).startsWith("MODSEQ entry name must be \"/flags/\"");
        assertThat(Wire.refuse("SEARCH MODSEQ \"/flags/\\\\seen\" mine 1").text()).isEqualTo("MODSEQ entry type must be priv, shared or all, not mine");
    }

    @Test
    void charsetDecodesTheStrings() {
        byte[] latin1 = "A1 SEARCH CHARSET ISO-8859-1 SUBJECT \"caf\u00e9\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Command.Search search = (Command.Search) new Wire(latin1, ReaderLimits.DEFAULT).request().command();
        assertThat(search.key()).isEqualTo(new SearchKey.Text(SearchKey.TextField.SUBJECT, "caf\u00e9"));
        assertThat(key("CHARSET \"UTF-8\" BODY \"\u00fcber\"")).isEqualTo(new SearchKey.Text(SearchKey.TextField.BODY, "\u00fcber"));
        // imaptest "nil": NIL is the string "NIL"
        assertThat(key("SUBJECT NIL")).isEqualTo(new SearchKey.Text(SearchKey.TextField.SUBJECT, "NIL"));
        StatusResponse unknown = Wire.refuse("SEARCH CHARSET KLINGON TEXT x");
        assertThat(unknown).isEqualTo(StatusResponse.no("A1", new ResponseCode.BadCharset(List.of("US-ASCII", "UTF-8")),
                "Unsupported charset KLINGON"));
        byte[] notUtf8 = "A1 SEARCH TEXT \"caf\u00e9\"\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new Wire(notUtf8, ReaderLimits.DEFAULT).refused().text()).startsWith("Search string is not valid UTF-8");
    }

    @Test
    void returnOptions() {
        Command.Search search = (Command.Search) Wire.parse("UID SEARCH RETURN (MIN MAX COUNT ALL SAVE) CHARSET UTF-8 ALL");
        assertThat(search.uid()).isTrue();
        assertThat(search.returnOptions()).isEqualTo(new SearchReturn(Set.of(SearchReturn.Option.MIN, SearchReturn.Option.MAX,
                SearchReturn.Option.COUNT, SearchReturn.Option.ALL, SearchReturn.Option.SAVE), null));
        // RFC 4731 section 3.1: RETURN () is RETURN (ALL)
        assertThat(((Command.Search) Wire.parse("SEARCH RETURN () ALL")).returnOptions())
                .isEqualTo(new SearchReturn(Set.of(SearchReturn.Option.ALL), null));
        assertThat(((Command.Search) Wire.parse("SEARCH ALL")).returnOptions()).isNull();
        assertThat(((Command.Search) Wire.parse("SEARCH RETURN (update context count) seen")).returnOptions().options())
                .containsExactlyInAnyOrder(SearchReturn.Option.UPDATE, SearchReturn.Option.CONTEXT, SearchReturn.Option.COUNT);
        assertThat(Wire.refuse("SEARCH RETURN (BIGGEST) ALL").text()).isEqualTo("Unknown RETURN option BIGGEST");
    }

    @Test
    void partialRanges() {
        assertThat(((Command.Search) Wire.parse("SEARCH RETURN (PARTIAL 1:100) ALL")).returnOptions())
                .isEqualTo(new SearchReturn(Set.of(), new SearchReturn.PartialRange(1, 100)));
        // imaptest "search-partial": a reversed range is the same range
        assertThat(((Command.Search) Wire.parse("SEARCH RETURN (partial 4:2) all")).returnOptions().partial())
                .isEqualTo(new SearchReturn.PartialRange(2, 4));
        // RFC 9394: counted from the end
        assertThat(((Command.Search) Wire.parse("SEARCH RETURN (PARTIAL -1:-100 COUNT) ALL")).returnOptions())
                .isEqualTo(new SearchReturn(Set.of(SearchReturn.Option.COUNT), new SearchReturn.PartialRange(-1, -100)));
        assertThat(Wire.refuse("SEARCH RETURN (partial 1) all").text()).isEqualTo("PARTIAL needs a range like 1:100, but found \") all\"");
        assertThat(Wire.refuse("SEARCH RETURN (partial 1:*) all").text()).isEqualTo("Expected a number, but found \"*) all\"");
        assertThat(Wire.refuse("SEARCH RETURN (partial *:1) all").text()).isEqualTo("Expected a number, but found \"*:1) all\"");
        assertThat(Wire.refuse("SEARCH RETURN (partial 0:1) all").kind()).isEqualTo(StatusResponse.Kind.BAD);
        assertThat(Wire.refuse("SEARCH RETURN (partial -1:5) all").text()).startsWith("Both ends of a PARTIAL range");
    }

    @Test
    void invalidKeysAreBad() {
        assertThat(Wire.refuse("SEARCH").text()).isEqualTo("Expected a space, but the command ended");
        assertThat(Wire.refuse("SEARCH BIGGEST").text()).isEqualTo("Unknown search key BIGGEST");
        assertThat(Wire.refuse("SEARCH FROM").text()).isEqualTo("Expected a space, but the command ended");
        assertThat(Wire.refuse("SEARCH OR SEEN").text()).isEqualTo("Expected a space, but the command ended");
        assertThat(Wire.refuse("SEARCH (SEEN").text()).isEqualTo("Expected \")\", but the command ended");
        assertThat(Wire.refuse("SEARCH ()").text()).isEqualTo("Expected a search key, but found \")\"");
        assertThat(Wire.refuse("SEARCH SINCE 30-Feb-2024").text()).isEqualTo("Invalid date: day 30 does not exist in Feb 2024, but found \"30-Feb-2024\"");
        assertThat(Wire.refuse("SEARCH SINCE 1-Foo-2024").text()).startsWith("Invalid date: \"Foo\" is not a month name");
        assertThat(Wire.refuse("SEARCH KEYWORD \\Seen").text()).isEqualTo("Expected an atom, but found \"\\\\Seen\"");
        assertThat(Wire.refuse("SEARCH LARGER x").text()).isEqualTo("Expected a number, but found \"x\"");
        assertThat(Wire.refuse("SEARCH SEEN  FLAGGED").text()).isEqualTo("Expected a search key, but found \" FLAGGED\"");
    }

    @Test
    void nestingIsBounded() {
        String deep = "NOT ".repeat(SearchParser.MAX_DEPTH + 1) + "ALL";
        assertThat(Wire.refuse("SEARCH " + deep).text()).isEqualTo("Search keys are nested more than 64 deep");
        String parentheses = "(".repeat(SearchParser.MAX_DEPTH) + "ALL" + ")".repeat(SearchParser.MAX_DEPTH);
        assertThat(key(parentheses)).isEqualTo(new SearchKey.All());
    }

    @Test
    void sort() {
        Command.Sort sort = (Command.Sort) Wire.parse("UID SORT (REVERSE DATE subject DISPLAYFROM displayto) UTF-8 SINCE 1-Feb-1994");
        assertThat(sort.uid()).isTrue();
        assertThat(sort.returnOptions()).isNull();
        assertThat(sort.criteria()).containsExactly(new Command.SortCriterion(Command.SortKey.DATE, true),
                new Command.SortCriterion(Command.SortKey.SUBJECT, false), new Command.SortCriterion(Command.SortKey.DISPLAYFROM, false),
                new Command.SortCriterion(Command.SortKey.DISPLAYTO, false));
        assertThat(sort.key()).isEqualTo(new SearchKey.Date(SearchKey.DateField.INTERNAL, SearchKey.Comparison.SINCE, LocalDate.of(1994, 2, 1)));
        Command.Sort esort = (Command.Sort) Wire.parse("SORT RETURN (partial 2:4) (reverse arrival) us-ascii all");
        assertThat(esort.returnOptions().partial()).isEqualTo(new SearchReturn.PartialRange(2, 4));
        assertThat(esort.criteria()).containsExactly(new Command.SortCriterion(Command.SortKey.ARRIVAL, true));
        assertThat(Wire.refuse("SORT (SIZE) ALL").text()).isEqualTo("Expected a space, but the command ended");
        assertThat(Wire.refuse("SORT (WEIGHT) UTF-8 ALL").text()).isEqualTo("Unknown sort key WEIGHT");
        assertThat(Wire.refuse("SORT () UTF-8 ALL").text()).isEqualTo("Expected a sort key, but found \") UTF-8 ALL\"");
        assertThat(Wire.refuse("SORT (REVERSE) UTF-8 ALL").text()).isEqualTo("Expected a space, but found \") UTF-8 ALL\"");
    }

    @Test
    void thread() {
        assertThat(Wire.parse("THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000")).isEqualTo(new Command.Thread(false,
                Command.ThreadAlgorithm.ORDEREDSUBJECT, new SearchKey.Date(SearchKey.DateField.INTERNAL,
                SearchKey.Comparison.SINCE, LocalDate.of(2000, 3, 5))));
        assertThat(Wire.parse("UID THREAD references us-ascii all")).isEqualTo(new Command.Thread(true,
                Command.ThreadAlgorithm.REFERENCES, new SearchKey.All()));
        assertThat(Wire.refuse("THREAD REFS UTF-8 ALL").text()).isEqualTo("Unknown threading algorithm REFS");
    }
}
