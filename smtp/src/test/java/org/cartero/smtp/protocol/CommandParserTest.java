package org.cartero.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.protocol.Command.Auth;
import org.cartero.smtp.protocol.Command.Bdat;
import org.cartero.smtp.protocol.Command.Data;
import org.cartero.smtp.protocol.Command.Ehlo;
import org.cartero.smtp.protocol.Command.Expn;
import org.cartero.smtp.protocol.Command.Helo;
import org.cartero.smtp.protocol.Command.Help;
import org.cartero.smtp.protocol.Command.Mail;
import org.cartero.smtp.protocol.Command.Noop;
import org.cartero.smtp.protocol.Command.Quit;
import org.cartero.smtp.protocol.Command.Rcpt;
import org.cartero.smtp.protocol.Command.Rset;
import org.cartero.smtp.protocol.Command.StartTls;
import org.cartero.smtp.protocol.Command.Vrfy;
import org.cartero.smtp.protocol.MailParameters.Body;
import org.cartero.smtp.protocol.MailParameters.Ret;
import org.cartero.smtp.protocol.RcptParameters.Notify;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class CommandParserTest {

    /** A server that offered every extension in its EHLO reply. */
    private static final CommandParser ESMTP = new CommandParser("mx.example.org", EnumSet.allOf(Extension.class));
    /** A server talking to a client that said HELO: no extensions. */
    private static final CommandParser PLAIN = new CommandParser("mx.example.org", Set.of());

    private static MailAddress address(String text) {
        return MailAddress.parse(text);
    }

    private static Mail mail(String sender, MailParameters parameters) {
        return new Mail(sender == null ? Optional.empty() : Optional.of(address(sender)), parameters);
    }

    private static MailParameters mailParameters(Long size, Body body, boolean smtputf8, Ret ret, String envid, String auth) {
        return new MailParameters(size == null ? OptionalLong.empty() : OptionalLong.of(size), Optional.ofNullable(body),
                smtputf8, Optional.ofNullable(ret), Optional.ofNullable(envid), Optional.ofNullable(auth));
    }

    private static Rcpt rcpt(String recipient, Set<Notify> notify, OriginalRecipient orcpt) {
        return new Rcpt(address(recipient), new RcptParameters(notify, Optional.ofNullable(orcpt)));
    }

    static Stream<Arguments> validCommands() {
        return Stream.of(
                // EHLO / HELO: a domain or an address literal
                Arguments.of("EHLO client.example.com", new Ehlo("client.example.com")),
                Arguments.of("ehlo client.example.com", new Ehlo("client.example.com")),
                Arguments.of("EHLO localhost", new Ehlo("localhost")),
                Arguments.of("EHLO [192.0.2.1]", new Ehlo("[192.0.2.1]")),
                Arguments.of("EHLO [IPv6:2001:db8::1]", new Ehlo("[IPv6:2001:db8::1]")),
                Arguments.of("EHLO [ipv6:::ffff:192.0.2.1]", new Ehlo("[ipv6:::ffff:192.0.2.1]")),
                Arguments.of("EHLO client.example.com  \t", new Ehlo("client.example.com")),
                Arguments.of("EHLO  client.example.com", new Ehlo("client.example.com")),
                Arguments.of("EHLO bücher.example", new Ehlo("bücher.example")),
                Arguments.of("HELO client.example.com", new Helo("client.example.com")),
                Arguments.of("HeLo [10.0.0.1]", new Helo("[10.0.0.1]")),

                // MAIL: paths, the null reverse-path, source routes, quoted local parts
                Arguments.of("MAIL FROM:<alice@example.com>", mail("alice@example.com", MailParameters.NONE)),
                Arguments.of("mail from:<alice@EXAMPLE.com>", mail("alice@example.com", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<>", mail(null, MailParameters.NONE)),
                Arguments.of("MAIL FROM: <alice@example.com>", mail("alice@example.com", MailParameters.NONE)),
                Arguments.of("MAIL FROM:  <>", mail(null, MailParameters.NONE)),
                Arguments.of("MAIL FROM:<@relay1.example,@relay2.example:alice@example.com>",
                        mail("alice@example.com", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<\"alice smith\"@example.com>", mail("\"alice smith\"@example.com", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<\"a>b\"@example.com>", mail("\"a>b\"@example.com", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<\"a\\\"b\"@example.com>", mail("\"a\\\"b\"@example.com", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<alice@[192.0.2.7]>", mail("alice@[192.0.2.7]", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<alice@[IPv6:2001:db8::7]>", mail("alice@[IPv6:2001:db8::7]", MailParameters.NONE)),
                Arguments.of("MAIL FROM:<a.b+tag@example.com> ", mail("a.b+tag@example.com", MailParameters.NONE)),

                // MAIL parameters
                Arguments.of("MAIL FROM:<a@example.com> SIZE=12345",
                        mail("a@example.com", mailParameters(12345L, null, false, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> SIZE=0",
                        mail("a@example.com", mailParameters(0L, null, false, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> SIZE=99999999999999999999",
                        mail("a@example.com", mailParameters(Long.MAX_VALUE, null, false, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> BODY=8BITMIME",
                        mail("a@example.com", mailParameters(null, Body.EIGHT_BIT_MIME, false, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> body=7bit",
                        mail("a@example.com", mailParameters(null, Body.SEVEN_BIT, false, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> BODY=BINARYMIME",
                        mail("a@example.com", mailParameters(null, Body.BINARY_MIME, false, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> SMTPUTF8",
                        mail("a@example.com", mailParameters(null, null, true, null, null, null))),
                Arguments.of("MAIL FROM:<pelé@exämple.com> SMTPUTF8",
                        mail("pelé@exämple.com", mailParameters(null, null, true, null, null, null))),
                Arguments.of("MAIL FROM:<a@example.com> RET=HDRS ENVID=QQ314159",
                        mail("a@example.com", mailParameters(null, null, false, Ret.HDRS, "QQ314159", null))),
                Arguments.of("MAIL FROM:<a@example.com> ret=full envid=a+2Bb+3Dc",
                        mail("a@example.com", mailParameters(null, null, false, Ret.FULL, "a+b=c", null))),
                Arguments.of("MAIL FROM:<a@example.com> AUTH=<>",
                        mail("a@example.com", mailParameters(null, null, false, null, null, "<>"))),
                Arguments.of("MAIL FROM:<a@example.com> AUTH=e+3Dmc2@example.com",
                        mail("a@example.com", mailParameters(null, null, false, null, null, "e=mc2@example.com"))),
                Arguments.of("MAIL FROM:<> SIZE=100 BODY=8BITMIME SMTPUTF8 RET=FULL ENVID=x AUTH=<>",
                        mail(null, mailParameters(100L, Body.EIGHT_BIT_MIME, true, Ret.FULL, "x", "<>"))),
                Arguments.of("MAIL FROM:<a@example.com>  SIZE=1   BODY=7BIT  ",
                        mail("a@example.com", mailParameters(1L, Body.SEVEN_BIT, false, null, null, null))),

                // RCPT: Postmaster without a domain, source routes, DSN parameters
                Arguments.of("RCPT TO:<bob@example.org>", rcpt("bob@example.org", Set.of(), null)),
                Arguments.of("rcpt to: <bob@example.org>", rcpt("bob@example.org", Set.of(), null)),
                Arguments.of("RCPT TO:<Postmaster>", new Rcpt(new MailAddress("Postmaster", "mx.example.org"), RcptParameters.NONE)),
                Arguments.of("RCPT TO:<postmaster>", new Rcpt(new MailAddress("postmaster", "mx.example.org"), RcptParameters.NONE)),
                Arguments.of("RCPT TO:<Postmaster@example.org>", rcpt("Postmaster@example.org", Set.of(), null)),
                Arguments.of("RCPT TO:<@hosta.example,@hostb.example:bob@example.org>", rcpt("bob@example.org", Set.of(), null)),
                Arguments.of("RCPT TO:<bob@example.org> NOTIFY=NEVER", rcpt("bob@example.org", Set.of(Notify.NEVER), null)),
                Arguments.of("RCPT TO:<bob@example.org> NOTIFY=success,FAILURE,Delay",
                        rcpt("bob@example.org", Set.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY), null)),
                Arguments.of("RCPT TO:<bob@example.org> ORCPT=rfc822;bob+40example.org",
                        rcpt("bob@example.org", Set.of(), new OriginalRecipient("rfc822", "bob@example.org"))),
                Arguments.of("RCPT TO:<bob@example.org> NOTIFY=FAILURE ORCPT=RFC822;Bob+2Btag@example.org",
                        rcpt("bob@example.org", Set.of(Notify.FAILURE), new OriginalRecipient("rfc822", "Bob+tag@example.org"))),
                Arguments.of("RCPT TO:<bob@example.org> ORCPT=utf-8;j\\x{F6}rg@example.org",
                        rcpt("bob@example.org", Set.of(), new OriginalRecipient("utf-8", "jörg@example.org"))),

                // the commands without arguments, and those with optional ones
                Arguments.of("DATA", new Data()),
                Arguments.of("data", new Data()),
                Arguments.of("RSET", new Rset()),
                Arguments.of("QUIT", new Quit()),
                Arguments.of("quit ", new Quit()),
                Arguments.of("STARTTLS", new StartTls()),
                Arguments.of("NOOP", new Noop("")),
                Arguments.of("NOOP anything at all", new Noop("anything at all")),
                Arguments.of("HELP", new Help("")),
                Arguments.of("HELP MAIL", new Help("MAIL")),
                Arguments.of("VRFY alice", new Vrfy("alice", false)),
                Arguments.of("VRFY <alice@example.com>", new Vrfy("<alice@example.com>", false)),
                Arguments.of("VRFY John Smith", new Vrfy("John Smith", false)),
                Arguments.of("VRFY jörg SMTPUTF8", new Vrfy("jörg", true)),
                Arguments.of("EXPN staff", new Expn("staff", false)),
                Arguments.of("EXPN staff smtputf8", new Expn("staff", true)),

                // BDAT (RFC 3030)
                Arguments.of("BDAT 1000", new Bdat(1000, false)),
                Arguments.of("BDAT 0 LAST", new Bdat(0, true)),
                Arguments.of("bdat 86 last", new Bdat(86, true)),
                Arguments.of("BDAT 999999999999999999 LAST", new Bdat(999_999_999_999_999_999L, true)),

                // AUTH (RFC 4954)
                Arguments.of("AUTH PLAIN", new Auth("PLAIN", Optional.empty())),
                Arguments.of("auth login", new Auth("LOGIN", Optional.empty())),
                Arguments.of("AUTH PLAIN AGFsaWNlAHNlY3JldA==", new Auth("PLAIN", Optional.of("AGFsaWNlAHNlY3JldA=="))),
                Arguments.of("AUTH PLAIN =", new Auth("PLAIN", Optional.of("="))),
                Arguments.of("AUTH SCRAM-SHA-256 biwsbj11c2VyLHI9cm9tZQ==",
                        new Auth("SCRAM-SHA-256", Optional.of("biwsbj11c2VyLHI9cm9tZQ=="))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validCommands")
    void parsesValidCommands(String line, Command expected) throws SmtpException {
        assertThat(ESMTP.parse(line, true)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            # not a command at all
            ``                                              | 500 | 5.5.2
            `   `                                           | 500 | 5.5.2
            FOO                                             | 500 | 5.5.2
            MAILFROM:<a@example.com>                        | 500 | 5.5.2
            ` MAIL FROM:<a@example.com>`                    | 500 | 5.5.2
            # the Turkish dotless i must not pass for an I
            MAıL FROM:<a@example.com>                       | 500 | 5.5.2
            LHLO client.example.com                         | 500 | 5.5.2
            # standard commands Cartero does not implement
            TURN                                            | 502 | 5.5.1
            ETRN example.com                                | 502 | 5.5.1
            SEND FROM:<a@example.com>                       | 502 | 5.5.1
            SOML FROM:<a@example.com>                       | 502 | 5.5.1
            SAML FROM:<a@example.com>                       | 502 | 5.5.1
            ATRN example.com                                | 502 | 5.5.1
            BURL imap://x 1                                 | 502 | 5.5.1
            # an HTTP request on the SMTP port: close before its body is read as commands
            GET / HTTP/1.1                                  | 521 | 5.7.0
            POST /form HTTP/1.1                             | 521 | 5.7.0
            CONNECT mx.example.org:25 HTTP/1.1              | 521 | 5.7.0
            # EHLO / HELO
            EHLO                                            | 501 | 5.5.4
            HELO                                            | 501 | 5.5.4
            EHLO bad_name.example.com                       | 501 | 5.5.4
            EHLO -bad.example.com                           | 501 | 5.5.4
            EHLO two words                                  | 501 | 5.5.4
            EHLO example..com                               | 501 | 5.5.4
            EHLO example.com.                               | 501 | 5.5.4
            EHLO [192.0.2.256]                              | 501 | 5.5.4
            EHLO [192.0.2]                                  | 501 | 5.5.4
            EHLO [IPv6:2001:db8::g]                         | 501 | 5.5.4
            EHLO [IPv6:1::2::3]                             | 501 | 5.5.4
            EHLO [IPv6:fe80::1%eth0]                        | 501 | 5.5.4
            EHLO [x400:something]                           | 501 | 5.5.4
            EHLO []                                         | 501 | 5.5.4
            # MAIL syntax
            MAIL                                            | 501 | 5.5.4
            MAIL TO:<a@example.com>                         | 501 | 5.5.4
            MAIL FROM                                       | 501 | 5.5.4
            MAIL FROM<a@example.com>                        | 501 | 5.5.4
            # MAIL addresses: 501 5.1.7
            MAIL FROM:                                      | 501 | 5.1.7
            MAIL FROM:a@example.com                         | 501 | 5.1.7
            MAIL FROM:<a@example.com                        | 501 | 5.1.7
            MAIL FROM:<a>                                   | 501 | 5.1.7
            MAIL FROM:<@example.com>                        | 501 | 5.1.7
            MAIL FROM:<a@>                                  | 501 | 5.1.7
            MAIL FROM:<a b@example.com>                     | 501 | 5.1.7
            MAIL FROM:<a..b@example.com>                    | 501 | 5.1.7
            MAIL FROM:<.a@example.com>                      | 501 | 5.1.7
            MAIL FROM:<a@b@example.com>                     | 501 | 5.1.7
            MAIL FROM:<a@exa_mple.com>                      | 501 | 5.1.7
            MAIL FROM:<"unterminated@example.com>           | 501 | 5.1.7
            MAIL FROM:<a@[300.1.1.1]>                       | 501 | 5.1.7
            MAIL FROM:<a@[tag:value]>                       | 501 | 5.1.7
            MAIL FROM:<@relay.example a@example.com>        | 501 | 5.1.7
            MAIL FROM:<@relay.example,relay2:a@example.com> | 501 | 5.1.7
            MAIL FROM:<Postmaster>                          | 501 | 5.1.7
            # MAIL parameters
            MAIL FROM:<a@example.com>SIZE=100               | 501 | 5.5.4
            MAIL FROM:<a@example.com> SIZE                  | 501 | 5.5.4
            MAIL FROM:<a@example.com> SIZE=                 | 501 | 5.5.4
            MAIL FROM:<a@example.com> SIZE=12k              | 501 | 5.5.4
            MAIL FROM:<a@example.com> SIZE=-1               | 501 | 5.5.4
            MAIL FROM:<a@example.com> SIZE=123456789012345678901 | 501 | 5.5.4
            MAIL FROM:<a@example.com> SIZE=1 SIZE=2         | 501 | 5.5.4
            MAIL FROM:<a@example.com> size=1 SIZE=2         | 501 | 5.5.4
            MAIL FROM:<a@example.com> BODY=9BIT             | 501 | 5.5.4
            MAIL FROM:<a@example.com> BODY                  | 501 | 5.5.4
            MAIL FROM:<a@example.com> SMTPUTF8=yes          | 501 | 5.5.4
            MAIL FROM:<a@example.com> RET=ALL               | 501 | 5.5.4
            MAIL FROM:<a@example.com> RET                   | 501 | 5.5.4
            MAIL FROM:<a@example.com> ENVID=a+2               | 501 | 5.5.4
            MAIL FROM:<a@example.com> ENVID=a+2b              | 501 | 5.5.4
            MAIL FROM:<a@example.com> ENVID=a+0Db             | 501 | 5.5.4
            MAIL FROM:<a@example.com> ENVID=a=b               | 501 | 5.5.4
            MAIL FROM:<a@example.com> ENVID=é                 | 501 | 5.5.4
            MAIL FROM:<a@example.com> AUTH=nobody           | 501 | 5.5.4
            MAIL FROM:<a@example.com> AUTH                  | 501 | 5.5.4
            MAIL FROM:<a@example.com> -SIZE=1               | 501 | 5.5.4
            MAIL FROM:<a@example.com> SI_ZE=1               | 501 | 5.5.4
            MAIL FROM:<a@example.com> =1                    | 501 | 5.5.4
            MAIL FROM:<a@example.com> XFOO=1                | 555 | 5.5.4
            MAIL FROM:<a@example.com> NOTIFY=NEVER          | 555 | 5.5.4
            MAIL FROM:<a@example.com> REQUIRETLS            | 555 | 5.5.4
            # UTF-8 without SMTPUTF8: RFC 6531 section 3.5
            MAIL FROM:<pelé@example.com>                    | 550 | 5.6.7
            MAIL FROM:<pele@exämple.com>                    | 550 | 5.6.7
            MAIL FROM:<pelé@example.com> SIZE=10            | 550 | 5.6.7
            # RCPT
            RCPT                                            | 501 | 5.5.4
            RCPT FROM:<b@example.org>                       | 501 | 5.5.4
            RCPT TO:                                        | 501 | 5.1.3
            RCPT TO:<>                                      | 501 | 5.1.3
            RCPT TO:b@example.org                           | 501 | 5.1.3
            RCPT TO:<b@example.org                          | 501 | 5.1.3
            RCPT TO:<b>                                     | 501 | 5.1.3
            RCPT TO:<b@example..org>                        | 501 | 5.1.3
            RCPT TO:<Postmaster@>                           | 501 | 5.1.3
            RCPT TO:<b@example.org> NOTIFY=NEVER,SUCCESS    | 501 | 5.5.4
            RCPT TO:<b@example.org> NOTIFY=SUCCESS,SUCCESS  | 501 | 5.5.4
            RCPT TO:<b@example.org> NOTIFY=SOMETIMES        | 501 | 5.5.4
            RCPT TO:<b@example.org> NOTIFY=                 | 501 | 5.5.4
            RCPT TO:<b@example.org> NOTIFY=FAILURE,         | 501 | 5.5.4
            RCPT TO:<b@example.org> NOTIFY                  | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=bob@example.org   | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=rfc822;           | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=;b@example.org    | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=rfc822;b+4@x      | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=utf-8;a\\x{D}b@x  | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=utf-8;a\\x{D800}@x | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=utf-8;a\\yb@x     | 501 | 5.5.4
            RCPT TO:<b@example.org> ORCPT=utf-8;a+b@x       | 501 | 5.5.4
            RCPT TO:<b@example.org> NOTIFY=NEVER NOTIFY=NEVER | 501 | 5.5.4
            RCPT TO:<b@example.org> SIZE=100                | 555 | 5.5.4
            RCPT TO:<b@example.org> SMTPUTF8                | 555 | 5.5.4
            RCPT TO:<b@example.org> BODY=8BITMIME           | 555 | 5.5.4
            # the commands without arguments
            DATA now                                        | 501 | 5.5.4
            RSET all                                        | 501 | 5.5.4
            QUIT now                                        | 501 | 5.5.4
            STARTTLS please                                 | 501 | 5.5.4
            VRFY                                            | 501 | 5.5.4
            EXPN                                            | 501 | 5.5.4
            # BDAT without a readable size cannot be skipped: the session must close
            BDAT                                            | 521 | 5.5.4
            BDAT LAST                                       | 521 | 5.5.4
            BDAT 10 FIRST                                   | 521 | 5.5.4
            BDAT -1                                         | 521 | 5.5.4
            BDAT 1e3                                        | 521 | 5.5.4
            BDAT 10 LAST more                               | 521 | 5.5.4
            BDAT 9999999999999999999                        | 521 | 5.5.4
            # AUTH
            AUTH                                            | 501 | 5.5.4
            AUTH PL@IN                                      | 501 | 5.5.4
            AUTH ABCDEFGHIJKLMNOPQRSTU                      | 501 | 5.5.4
            AUTH PLAIN a b                                  | 501 | 5.5.4
            AUTH PLAIN AGFsaWNl*                            | 501 | 5.5.2
            AUTH PLAIN AGFsaWN                              | 501 | 5.5.2
            AUTH PLAIN ==                                   | 501 | 5.5.2
            AUTH PLAIN A===                                 | 501 | 5.5.2
            """)
    void refusesInvalidCommands(String line, int code, String enhancedCode) {
        assertThatThrownBy(() -> ESMTP.parse(line == null ? "" : line, false))
                .isInstanceOfSatisfying(SmtpException.class, e -> {
                    assertThat(e.reply().code()).as(e.reply().toString()).isEqualTo(code);
                    assertThat(e.reply().enhancedCode()).as(e.reply().toString()).isEqualTo(enhancedCode);
                });
    }

    @Test
    void controlCharactersAndUndecodableOctetsAreNoCommand() {
        for (String line : new String[] {"MAIL FROM:<a@example.com>\u0000", "NOOP a\u0007b", "RCPT TO:<a@example.com>\rRSET",
                "NOOP \u007f", new String(new byte[] {'E', 'H', 'L', 'O', ' ', (byte) 0xc3, 'x'}, StandardCharsets.UTF_8)}) {
            assertThatThrownBy(() -> ESMTP.parse(line, false)).as(line)
                    .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply())
                            .extracting(Reply::code, Reply::enhancedCode).containsExactly(500, "5.5.2"));
        }
    }

    @Test
    void recipientWithUtf8NeedsAnSmtputf8Transaction() throws SmtpException {
        assertThat(ESMTP.parse("RCPT TO:<jörg@example.org>", true))
                .isEqualTo(rcpt("jörg@example.org", Set.of(), null));
        assertThatThrownBy(() -> ESMTP.parse("RCPT TO:<jörg@example.org>", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply())
                        .extracting(Reply::code, Reply::enhancedCode).containsExactly(553, "5.6.7"));
    }

    @Test
    void utf8OriginalRecipientMayStandUnescapedOnlyUnderSmtputf8() throws SmtpException {
        assertThat(ESMTP.parse("RCPT TO:<bob@example.org> ORCPT=utf-8;jörg@example.org", true))
                .isEqualTo(rcpt("bob@example.org", Set.of(), new OriginalRecipient("utf-8", "jörg@example.org")));
        assertThatThrownBy(() -> ESMTP.parse("RCPT TO:<bob@example.org> ORCPT=utf-8;jörg@example.org", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().code()).isEqualTo(501));
    }

    @Test
    void parametersOfExtensionsNotOfferedAreNotRecognized() {
        for (String line : new String[] {
                "MAIL FROM:<a@example.com> SIZE=1", "MAIL FROM:<a@example.com> BODY=8BITMIME",
                "MAIL FROM:<a@example.com> SMTPUTF8", "MAIL FROM:<a@example.com> RET=FULL",
                "MAIL FROM:<a@example.com> ENVID=x", "MAIL FROM:<a@example.com> AUTH=<>",
                "RCPT TO:<b@example.org> NOTIFY=NEVER", "RCPT TO:<b@example.org> ORCPT=rfc822;b@example.org"}) {
            assertThatThrownBy(() -> PLAIN.parse(line, false)).as(line)
                    .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply())
                            .extracting(Reply::code, Reply::enhancedCode).containsExactly(555, "5.5.4"));
        }
    }

    @Test
    void bodyValuesFollowTheirOwnExtension() throws SmtpException {
        CommandParser eightBitOnly = new CommandParser("mx.example.org", EnumSet.of(Extension.EIGHT_BIT_MIME));
        assertThat(eightBitOnly.parse("MAIL FROM:<a@example.com> BODY=7BIT", false))
                .isEqualTo(mail("a@example.com", mailParameters(null, Body.SEVEN_BIT, false, null, null, null)));
        assertThatThrownBy(() -> eightBitOnly.parse("MAIL FROM:<a@example.com> BODY=BINARYMIME", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().code()).isEqualTo(555));
        CommandParser binaryOnly = new CommandParser("mx.example.org", EnumSet.of(Extension.BINARY_MIME, Extension.CHUNKING));
        assertThatThrownBy(() -> binaryOnly.parse("MAIL FROM:<a@example.com> BODY=8BITMIME", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().code()).isEqualTo(555));
    }

    @Test
    void withoutSmtputf8OfferedNonAsciiStaysPartOfTheArgument() throws SmtpException {
        assertThat(PLAIN.parse("VRFY jörg SMTPUTF8", false)).isEqualTo(new Vrfy("jörg SMTPUTF8", false));
        assertThatThrownBy(() -> PLAIN.parse("EHLO bücher.example", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().code()).isEqualTo(501));
    }

    @Test
    void pathsAreLimitedTo256Octets() throws SmtpException {
        String local = "a".repeat(64);
        String domain = ("b".repeat(60) + ".").repeat(3) + "c".repeat(256 - 2 - 64 - 1 - 183);
        String fits = local + "@" + domain;
        assertThat(fits.length() + 2).isEqualTo(CommandParser.MAX_PATH_OCTETS);
        assertThat(ESMTP.parse("RCPT TO:<" + fits + ">", false)).isEqualTo(rcpt(fits, Set.of(), null));
        assertThatThrownBy(() -> ESMTP.parse("RCPT TO:<a" + fits + ">", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply())
                        .extracting(Reply::code, Reply::enhancedCode).containsExactly(501, "5.1.3"));
    }

    @Test
    void envelopeIdIsLimitedTo100Characters() throws SmtpException {
        assertThat(ESMTP.parse("MAIL FROM:<> ENVID=" + "x".repeat(100), false))
                .isEqualTo(mail(null, mailParameters(null, null, false, null, "x".repeat(100), null)));
        assertThatThrownBy(() -> ESMTP.parse("MAIL FROM:<> ENVID=" + "x".repeat(101), false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().code()).isEqualTo(501));
    }

    @Test
    void originalRecipientIsLimitedTo500Characters() {
        String value = "rfc822;" + "x".repeat(OriginalRecipient.MAX_LENGTH);
        assertThatThrownBy(() -> ESMTP.parse("RCPT TO:<b@example.org> ORCPT=" + value, false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().code()).isEqualTo(501));
    }

    @Test
    void theReplyNamesTheFault() {
        assertThatThrownBy(() -> ESMTP.parse("MAIL FROM:<a@example.com> XFOO=1", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().text()).contains("XFOO"));
        assertThatThrownBy(() -> ESMTP.parse("MAIL FROM:<a@example.com> SIZE=1 size=2", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().text()).contains("SIZE", "twice"));
        assertThatThrownBy(() -> ESMTP.parse("RCPT TO:<a..b@example.org>", false))
                .isInstanceOfSatisfying(SmtpException.class, e -> assertThat(e.reply().text())
                        .startsWith("Bad recipient address syntax").contains("a..b"));
    }

    /** Cartero's client writes commands with {@link Command#line()}; the server must read back the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("validCommands")
    void formattedCommandsParseBackToThemselves(String line, Command command) throws SmtpException {
        assertThat(ESMTP.parse(command.line(), true)).isEqualTo(command);
    }

    @Test
    void formatsParametersInWireSyntax() {
        Command mail = mail("a@example.com", mailParameters(5L, Body.EIGHT_BIT_MIME, true, Ret.HDRS, "id+1=2", "<>"));
        assertThat(mail.line()).isEqualTo("MAIL FROM:<a@example.com> SIZE=5 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1+3D2 AUTH=<>");
        Command rcpt = rcpt("b@example.org", Set.of(Notify.DELAY, Notify.SUCCESS), new OriginalRecipient("utf-8", "jörg+x@example.org"));
        assertThat(rcpt.line()).isEqualTo("RCPT TO:<b@example.org> NOTIFY=SUCCESS,DELAY ORCPT=utf-8;j\\x{F6}rg\\x{2B}x@example.org");
    }
}
