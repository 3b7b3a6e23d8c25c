package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.cartero.store.ModifiedUtf7;
import org.junit.jupiter.api.Test;

/** Modified UTF-7 (RFC 3501 section 5.1.3) and mailbox names in commands. */
class MailboxNameTest {

    @Test
    void rfcExamplesRoundTrip() {
        // RFC 3501 section 5.1.3
        assertThat(ModifiedUtf7.decode("~peter/mail/&U,BTFw-/&ZeVnLIqe-")).isEqualTo("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e");
        assertThat(ModifiedUtf7.encode("~peter/mail/\u53f0\u5317/\u65e5\u672c\u8a9e")).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        // RFC 2152's examples, in the modified form
        assertThat(ModifiedUtf7.decode("Hi Mom -&Jjo--!")).isEqualTo("Hi Mom -\u263a-!");
        assertThat(ModifiedUtf7.encode("Hi Mom -\u263a-!")).isEqualTo("Hi Mom -&Jjo--!");
        assertThat(ModifiedUtf7.decode("&ZeVnLIqe-")).isEqualTo("\u65e5\u672c\u8a9e");
        assertThat(ModifiedUtf7.encode("&")).isEqualTo("&-");
        assertThat(ModifiedUtf7.decode("A&-B")).isEqualTo("A&B");
    }

    @Test
    void roundTripsAnyText() {
        for (String name : new String[] {"", "INBOX", "p\u00e4\u00e4", "a&b&c", "\ud83d\udce7 mail", "tab\there", "\u00e9/\u00e8", "x\u007fy"}) {
            String encoded = ModifiedUtf7.encode(name);
            assertThat(encoded).matches("[\\x20-\\x7e]*");
            assertThat(ModifiedUtf7.decode(encoded)).isEqualTo(name);
        }
    }

    @Test
    void invalidModifiedUtf7IsRefused() {
        assertThatThrownBy(() -> ModifiedUtf7.decode("a&Jjo")).hasMessage("unterminated \"&\" in modified UTF-7");
        assertThatThrownBy(() -> ModifiedUtf7.decode("a&J/o-")).hasMessage("invalid modified base64");
        assertThatThrownBy(() -> ModifiedUtf7.decode("&AGE-")).hasMessage("printable ASCII encoded in modified UTF-7");
        assertThatThrownBy(() -> ModifiedUtf7.decode("&Jj-")).hasMessage("odd UTF-16 length in modified UTF-7");
        assertThatThrownBy(() -> ModifiedUtf7.decode("&2D0-")).hasMessage("invalid UTF-16 in modified UTF-7");
        assertThatThrownBy(() -> ModifiedUtf7.decode("&3A0-")).hasMessage("invalid UTF-16 in modified UTF-7");
        assertThat(ModifiedUtf7.decode("&2D3cDQ-")).isEqualTo("\ud83d\udc0d");
        assertThatThrownBy(() -> ModifiedUtf7.decode("caf\u00e9")).hasMessage("8-bit character in modified UTF-7");
    }

    @Test
    void mailboxNamesAreDecodedAndInboxIsCaseInsensitive() {
        assertThat(Wire.parse("SELECT \"p&AOQA5A-\"")).isEqualTo(new Command.Select("p\u00e4\u00e4", false, false, null));
        assertThat(Wire.parse("SELECT iNbOx")).isEqualTo(new Command.Select("INBOX", false, false, null));
        assertThat(Wire.parse("SELECT INBOX.sub")).isEqualTo(new Command.Select("INBOX.sub", false, false, null));
        assertThat(Wire.parse("SELECT {5}\r\ninbox")).isEqualTo(new Command.Select("INBOX", false, false, null));
    }

    @Test
    void invalidNameGetsNoOnceTheSyntaxIsGood() {
        // imaptest "atoms": "no select ..." with a name that is not modified UTF-7
        StatusResponse refused = Wire.refuse("SELECT !#$&'+,-.0123456789:;<=>?@^_`|[}");
        assertThat(refused.kind()).isEqualTo(StatusResponse.Kind.NO);
        assertThat(refused.text()).isEqualTo("Mailbox name is not valid modified UTF-7 (RFC 3501 section 5.1.3)");
        assertThat(Wire.refuse("RENAME a&b (").kind()).as("syntax errors come first").isEqualTo(StatusResponse.Kind.BAD);
        byte[] eightBit = "A1 CREATE \"caf\u00e9\"\r\n".getBytes(StandardCharsets.UTF_8);
        assertThat(new Wire(eightBit, ReaderLimits.DEFAULT).refused().kind()).isEqualTo(StatusResponse.Kind.NO);
    }

    @Test
    void namesAreUtf8OnceEnabled() {
        byte[] command = "A1 CREATE \"caf\u00e9 & cr\u00e8me\"\r\nA2 CREATE \"a&AOQ-\"\r\n".getBytes(StandardCharsets.UTF_8);
        Wire wire = new Wire(command, ReaderLimits.DEFAULT);
        wire.reader.enableUtf8();
        assertThat(wire.request().command()).isEqualTo(new Command.Create("caf\u00e9 & cr\u00e8me", java.util.List.of()));
        assertThat(wire.request().command()).isEqualTo(new Command.Create("a&AOQ-", java.util.List.of()));
        Wire invalid = new Wire("A1 CREATE \"caf\u00e9\"\r\n".getBytes(StandardCharsets.ISO_8859_1), ReaderLimits.DEFAULT);
        invalid.reader.enableUtf8();
        assertThat(invalid.refused()).isEqualTo(StatusResponse.no("A1", "Mailbox name is not valid UTF-8"));
    }
}
