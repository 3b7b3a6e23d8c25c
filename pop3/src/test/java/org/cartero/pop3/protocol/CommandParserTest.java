package org.cartero.pop3.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandParserTest {

    @Test
    void commandsWithoutArgumentsIgnoreKeywordCase() throws Exception {
        assertThat(CommandParser.parse("QUIT")).isEqualTo(new Command.Quit());
        assertThat(CommandParser.parse("stat")).isEqualTo(new Command.Stat());
        assertThat(CommandParser.parse("Noop")).isEqualTo(new Command.Noop());
        assertThat(CommandParser.parse("rSeT")).isEqualTo(new Command.Rset());
        assertThat(CommandParser.parse("capa")).isEqualTo(new Command.Capa());
        assertThat(CommandParser.parse("STLS")).isEqualTo(new Command.Stls());
        assertThat(CommandParser.parse("utf8")).isEqualTo(new Command.Utf8());
    }

    @Test
    void trailingSpacesAndRunsOfSpacesAreTolerated() throws Exception {
        assertThat(CommandParser.parse("STAT ")).isEqualTo(new Command.Stat());
        assertThat(CommandParser.parse("RETR  3 ")).isEqualTo(new Command.Retr(3));
        assertThat(CommandParser.parse("TOP 1   10")).isEqualTo(new Command.Top(1, 10));
    }

    @Test
    void messageNumbersAreOptionalForListAndUidl() throws Exception {
        assertThat(CommandParser.parse("LIST")).isEqualTo(new Command.List(OptionalLong.empty()));
        assertThat(CommandParser.parse("LIST 2")).isEqualTo(new Command.List(OptionalLong.of(2)));
        assertThat(CommandParser.parse("UIDL")).isEqualTo(new Command.Uidl(OptionalLong.empty()));
        assertThat(CommandParser.parse("uidl 007")).isEqualTo(new Command.Uidl(OptionalLong.of(7)));
    }

    @Test
    void zeroAndHugeNumbersParseAndAreLeftToTheMaildropToRefuse() throws Exception {
        assertThat(CommandParser.parse("RETR 0")).isEqualTo(new Command.Retr(0));
        assertThat(CommandParser.parse("DELE 99999999999999999999999")).isEqualTo(new Command.Dele(Long.MAX_VALUE));
        assertThat(CommandParser.parse("TOP 1 99999999999999999999999")).isEqualTo(new Command.Top(1, Long.MAX_VALUE));
    }

    @Test
    void userAndPassTakeTheRestOfTheLineSpacesIncluded() throws Exception {
        assertThat(CommandParser.parse("USER alice@example.test")).isEqualTo(new Command.User("alice@example.test"));
        assertThat(CommandParser.parse("PASS  two  spaces ")).isEqualTo(new Command.Pass(" two  spaces "));
        assertThat(CommandParser.parse("PASS ")).isEqualTo(new Command.Pass(""));
        assertThat(CommandParser.parse("pass pässwörd")).isEqualTo(new Command.Pass("pässwörd"));
    }

    @Test
    void authTakesAMechanismAndAnOptionalInitialResponse() throws Exception {
        Command.Auth bare = (Command.Auth) CommandParser.parse("AUTH");
        assertThat(bare.mechanism()).isNull();
        assertThat(bare.initialResponse()).isNull();

        Command.Auth login = (Command.Auth) CommandParser.parse("auth login");
        assertThat(login.mechanism()).isEqualTo("LOGIN");
        assertThat(login.initialResponse()).isNull();

        Command.Auth plain = (Command.Auth) CommandParser.parse("AUTH PLAIN AGFsaWNlAHNlY3JldA==");
        assertThat(plain.mechanism()).isEqualTo("PLAIN");
        assertThat(new String(plain.initialResponse(), StandardCharsets.UTF_8)).isEqualTo("\0alice\0secret");

        Command.Auth empty = (Command.Auth) CommandParser.parse("AUTH PLAIN =");
        assertThat(empty.initialResponse()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                      | -ERR empty command",
            "HELO there              | -ERR unknown command",
            "LAST                    | -ERR unknown command",
            "APOP mrose c4c9334bac56 | -ERR APOP is not supported: use USER and PASS, or AUTH",
            "USER                    | -ERR USER needs a user name",
            "PASS                    | -ERR PASS needs a password",
            "STAT 1                  | -ERR STAT takes no arguments",
            "QUIT now                | -ERR QUIT takes no arguments",
            "RETR                    | -ERR RETR needs a message number",
            "RETR one                | -ERR RETR needs a message number",
            "RETR -1                 | -ERR RETR needs a message number",
            "RETR +1                 | -ERR RETR needs a message number",
            "DELE 1 2                | -ERR DELE needs a message number",
            "LIST 1 2                | -ERR LIST takes at most a message number",
            "UIDL x                  | -ERR UIDL needs a message number",
            "TOP 1                   | -ERR TOP needs a message number and a number of lines",
            "TOP 1 -5                | -ERR TOP needs a number of lines",
            "AUTH PLAIN abc$         | -ERR the SASL initial response is not valid base64",
            "AUTH PL@IN              | -ERR not a SASL mechanism name",
            "AUTH ABCDEFGHIJKLMNOPQRSTU | -ERR not a SASL mechanism name",
            "AUTH PLAIN = extra      | -ERR AUTH takes a mechanism and at most an initial response",
    })
    void badCommandsGetAPreciseError(String line, String response) {
        assertThatThrownBy(() -> CommandParser.parse(line))
                .isInstanceOfSatisfying(Pop3Exception.class, e -> assertThat(e.response().line()).isEqualTo(response));
    }

    @Test
    void aTurkishLocaleDoesNotChangeKeywords() throws Exception {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr-TR"));
        try {
            assertThat(CommandParser.parse("uidl")).isEqualTo(new Command.Uidl(OptionalLong.empty()));
            assertThat(CommandParser.parse("list")).isEqualTo(new Command.List(OptionalLong.empty()));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
