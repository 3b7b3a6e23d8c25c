package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** FETCH: every data item, sections, partials, macros and modifiers. */
class FetchParserTest {

    private static List<FetchAttribute> attributes(String items) {
        return ((Command.Fetch) Wire.parse("FETCH 1 " + items)).attributes();
    }

    private static FetchAttribute one(String item) {
        List<FetchAttribute> attributes = attributes(item);
        assertThat(attributes).hasSize(1);
        return attributes.getFirst();
    }

    private static FetchAttribute.BodySection body(Section section, boolean peek, FetchAttribute.Partial partial) {
        return new FetchAttribute.BodySection(section, peek, partial);
    }

    @Test
    void simpleItems() {
        assertThat(attributes("(ENVELOPE flags InternalDate RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY BODYSTRUCTURE UID MODSEQ)"))
                .containsExactly(FetchAttribute.Simple.ENVELOPE, FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                        FetchAttribute.Simple.RFC822, FetchAttribute.Simple.RFC822_HEADER, FetchAttribute.Simple.RFC822_SIZE,
                        FetchAttribute.Simple.RFC822_TEXT, FetchAttribute.Simple.BODY, FetchAttribute.Simple.BODYSTRUCTURE,
                        FetchAttribute.Simple.UID, FetchAttribute.Simple.MODSEQ);
        assertThat(one("uid")).isEqualTo(FetchAttribute.Simple.UID);
    }

    @Test
    void macros() {
        assertThat(attributes("FAST")).containsExactly(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                FetchAttribute.Simple.RFC822_SIZE);
        assertThat(attributes("all")).containsExactly(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE);
        assertThat(attributes("Full")).containsExactly(FetchAttribute.Simple.FLAGS, FetchAttribute.Simple.INTERNALDATE,
                FetchAttribute.Simple.RFC822_SIZE, FetchAttribute.Simple.ENVELOPE, FetchAttribute.Simple.BODY);
        assertThat(Wire.refuse("FETCH 1 (FAST)").text()).isEqualTo("Unknown FETCH attribute FAST");
    }

    @Test
    void bodySections() {
        assertThat(one("BODY[]")).isEqualTo(body(Section.WHOLE, false, null));
        assertThat(one("body.peek[header]")).isEqualTo(body(new Section(List.of(), Section.Text.HEADER, List.of()), true, null));
        assertThat(one("BODY[TEXT]<0.2048>")).isEqualTo(body(new Section(List.of(), Section.Text.TEXT, List.of()), false,
                new FetchAttribute.Partial(0, 2048)));
        assertThat(one("BODY.PEEK[HEADER.FIELDS (DATE FROM \"x-y\")]")).isEqualTo(body(
                new Section(List.of(), Section.Text.HEADER_FIELDS, List.of("DATE", "FROM", "x-y")), true, null));
        assertThat(one("BODY[1.2.3]")).isEqualTo(body(new Section(List.of(1, 2, 3), null, List.of()), false, null));
        assertThat(one("BODY[4.2.MIME]")).isEqualTo(body(new Section(List.of(4, 2), Section.Text.MIME, List.of()), false, null));
        assertThat(one("body.peek[1.header.fields.not (from subject X-foo)]<5.10>")).isEqualTo(body(
                new Section(List.of(1), Section.Text.HEADER_FIELDS_NOT, List.of("from", "subject", "X-foo")), true,
                new FetchAttribute.Partial(5, 10)));
        assertThat(one("BODY[2.TEXT]")).isEqualTo(body(new Section(List.of(2), Section.Text.TEXT, List.of()), false, null));
    }

    @Test
    void binaryItems() {
        assertThat(one("BINARY[]")).isEqualTo(new FetchAttribute.Binary(List.of(), false, null));
        assertThat(one("binary.peek[1.2]<0.7>")).isEqualTo(new FetchAttribute.Binary(List.of(1, 2), true,
                new FetchAttribute.Partial(0, 7)));
        assertThat(one("BINARY.SIZE[5]")).isEqualTo(new FetchAttribute.BinarySize(List.of(5)));
        assertThat(Wire.refuse("FETCH 1 BINARY[1.MIME]").text()).isEqualTo("Expected a number, but found \"MIME]\"");
        assertThat(Wire.refuse("FETCH 1 BINARY.SIZE").text()).isEqualTo("Expected \"[\", but the command ended");
    }

    @Test
    void modifiers() {
        Command.Fetch fetch = (Command.Fetch) Wire.parse("UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)");
        assertThat(fetch).isEqualTo(new Command.Fetch(true, SequenceSet.parse("300:500"), List.of(FetchAttribute.Simple.FLAGS),
                OptionalLong.of(12345), true));
        assertThat(((Command.Fetch) Wire.parse("FETCH 1:* FLAGS (CHANGEDSINCE 1)")).changedSince()).hasValue(1);
        assertThat(Wire.refuse("FETCH 1 FLAGS (CHANGEDSINCE 1 VANISHED)").text()).isEqualTo("VANISHED is only allowed in UID FETCH");
        assertThat(Wire.refuse("UID FETCH 1 FLAGS (VANISHED)").text()).isEqualTo("VANISHED needs CHANGEDSINCE");
        assertThat(Wire.refuse("FETCH 1 FLAGS (SINCE 1)").text()).isEqualTo("Unknown FETCH modifier SINCE");
    }

    @Test
    void invalidItemsAreBad() {
        assertThat(Wire.refuse("FETCH 1 BODY[MIME]").text()).isEqualTo("MIME needs a part number, as in [1.MIME]");
        assertThat(Wire.refuse("FETCH 1 BODY[HEADERS]").text()).isEqualTo("Unknown section HEADERS");
        assertThat(Wire.refuse("FETCH 1 BODY[HEADER.FIELDS]").text()).isEqualTo("Expected a space, but found \"]\"");
        assertThat(Wire.refuse("FETCH 1 BODY[HEADER.FIELDS ()]").text()).isEqualTo("Expected a string, but found \")]\"");
        assertThat(Wire.refuse("FETCH 1 BODY[0]").text()).isEqualTo("0 is not allowed here, but found \"]\"");
        assertThat(Wire.refuse("FETCH 1 BODY[1").text()).isEqualTo("Expected \"]\", but the command ended");
        assertThat(Wire.refuse("FETCH 1 BODY[]<1.0>").text()).isEqualTo("The length of a partial fetch cannot be 0, but found \">\"");
        assertThat(Wire.refuse("FETCH 1 BODY[]<1>").text()).isEqualTo("Expected \".\", but found \">\"");
        assertThat(Wire.refuse("FETCH 1 BODY.PEEK").text()).isEqualTo("Expected \"[\", but the command ended");
        assertThat(Wire.refuse("FETCH 1 (UID FLAGS").text()).isEqualTo("Expected \")\", but the command ended");
        assertThat(Wire.refuse("FETCH 1 ()").text()).isEqualTo("Expected a FETCH attribute, but found \")\"");
        assertThat(Wire.refuse("FETCH 1 SIZE").text()).isEqualTo("Unknown FETCH attribute SIZE");
        assertThat(Wire.refuse("FETCH 1").text()).isEqualTo("Expected a space, but the command ended");
    }
}
