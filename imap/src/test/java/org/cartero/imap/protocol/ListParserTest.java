package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.cartero.store.ModifiedUtf7;
import org.junit.jupiter.api.Test;

/** LIST with LIST-EXTENDED, SPECIAL-USE and LIST-STATUS options, and LSUB. */
class ListParserTest {

    private static Command.ListMailboxes list(String arguments) {
        return (Command.ListMailboxes) Wire.parse("LIST " + arguments);
    }

    @Test
    void basicList() {
        assertThat(list("\"\" \"\"")).isEqualTo(new Command.ListMailboxes("", List.of(""), Set.of(), Set.of(), List.of(), false));
        assertThat(list("~/Mail/ %")).isEqualTo(new Command.ListMailboxes("~/Mail/", List.of("%"), Set.of(), Set.of(), List.of(), false));
        assertThat(list("\"\" *foo]*").patterns()).containsExactly("*foo]*");
        assertThat(list("\"\" NIL").patterns()).containsExactly("NIL");
        assertThat(list("\"\" {3}\r\nabc").patterns()).containsExactly("abc");
    }

    @Test
    void patternsAreDecodedFromModifiedUtf7ButKeptWhenInvalid() {
        assertThat(list("\"\" \"p&AOQA5A-*\"").patterns()).containsExactly("p\u00e4\u00e4*");
        // imaptest "atoms": an invalid pattern is not an error, it just matches nothing
        assertThat(list("\"\" !#$&'+,-.0123456789:;<=>?@^_`|[}%*").patterns())
                .containsExactly("!#$&'+,-.0123456789:;<=>?@^_`|[}%*");
        assertThat(list("\"\" ~foo").patterns()).containsExactly("~foo");
    }

    @Test
    void extendedSelectionReturnAndMultiplePatterns() {
        Command.ListMailboxes list = list("(SUBSCRIBED REMOTE RECURSIVEMATCH) \"\" (\"%\" Lists/*) RETURN (CHILDREN special-use STATUS (MESSAGES UNSEEN) SUBSCRIBED)");
        assertThat(list.selection()).containsExactlyInAnyOrder(Command.ListSelection.SUBSCRIBED,
                Command.ListSelection.REMOTE, Command.ListSelection.RECURSIVEMATCH);
        assertThat(list.patterns()).containsExactly("%", "Lists/*");
        assertThat(list.returns()).containsExactlyInAnyOrder(Command.ListReturn.CHILDREN, Command.ListReturn.SPECIAL_USE,
                Command.ListReturn.STATUS, Command.ListReturn.SUBSCRIBED);
        assertThat(list.statusItems()).containsExactly(StatusItem.MESSAGES, StatusItem.UNSEEN);
        assertThat(list.extended()).isTrue();
        assertThat(list("() \"\" %").extended()).isTrue();
        assertThat(list("\"\" % RETURN ()").extended()).isTrue();
        assertThat(list("(SPECIAL-USE) \"\" *").selection()).containsExactly(Command.ListSelection.SPECIAL_USE);
    }

    @Test
    void invalidOptionsAreBad() {
        // the imaptest "listext" group
        assertThat(Wire.refuse("LIST (imaptest) \"\" \"\"").text()).isEqualTo("Unknown LIST selection option IMAPTEST");
        assertThat(Wire.refuse("LIST (recursivematch) \"\" \"\"").text())
                .isEqualTo("RECURSIVEMATCH needs another selection option, such as SUBSCRIBED");
        assertThat(Wire.refuse("LIST (recursivematch remote) \"\" \"\"").kind()).isEqualTo(StatusResponse.Kind.BAD);
        assertThat(Wire.refuse("LIST \"\" \"\" return (imaptest)").text()).isEqualTo("Unknown LIST return option IMAPTEST");
        assertThat(Wire.refuse("LIST \"\" \"\" status (messages)").text()).isEqualTo("Expected RETURN, but found \"status (messages)\"");
        assertThat(Wire.refuse("LIST \"\" ()").text()).isEqualTo("Expected a mailbox name or pattern, but found \")\"");
        assertThat(Wire.refuse("LIST \"\"").text()).isEqualTo("Expected a space, but the command ended");
    }

    @Test
    void lsub() {
        assertThat(Wire.parse("LSUB \"#news.\" \"comp.mail.*\"")).isEqualTo(new Command.Lsub("#news.", "comp.mail.*"));
        assertThat(Wire.refuse("LSUB \"\" (x)").kind()).isEqualTo(StatusResponse.Kind.BAD);
    }
}
