package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.OptionalLong;
import org.cartero.store.ModifiedUtf7;
import org.junit.jupiter.api.Test;

/** The response encoder, on bytes: string forms, status responses, data responses and FETCH. */
class ResponseWriterTest {

    private static String write(Response... responses) {
        return write(false, responses);
    }

    private static String write(boolean utf8, Response... responses) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ResponseWriter writer = new ResponseWriter(bytes);
            if (utf8) writer.enableUtf8();
            for (Response response : responses) writer.write(response);
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Response.ListMailbox list(String name) {
        return new Response.ListMailbox(false, List.of(), '/', name, List.of(), null);
    }

    @Test
    void statusResponses() {
        assertThat(write(StatusResponse.ok("a1", ResponseCode.READ_WRITE, "SELECT completed")))
                .isEqualTo("a1 OK [READ-WRITE] SELECT completed\r\n");
        assertThat(write(StatusResponse.bye("Logging out"))).isEqualTo("* BYE Logging out\r\n");
        assertThat(write(new StatusResponse(null, StatusResponse.Kind.PREAUTH, null, "welcome")))
                .isEqualTo("* PREAUTH welcome\r\n");
        assertThat(write(StatusResponse.no("a2", "bad\r\nthing\0"))).isEqualTo("a2 NO bad  thing \r\n");
        assertThat(write(StatusResponse.ok("a3", ""))).isEqualTo("a3 OK ok\r\n");
        assertThat(write(StatusResponse.no("a4", "caf\u00e9"))).isEqualTo("a4 NO caf?\r\n");
        assertThat(write(true, StatusResponse.no("a4", "caf\u00e9"))).isEqualTo("a4 NO caf\u00e9\r\n");
    }

    @Test
    void responseCodes() {
        assertThat(List.of(ResponseCode.ALERT, ResponseCode.TRYCREATE, ResponseCode.NOMODSEQ, ResponseCode.CLOSED,
                ResponseCode.TOOBIG, ResponseCode.AUTHENTICATIONFAILED, ResponseCode.UNAVAILABLE, ResponseCode.ALREADYEXISTS,
                ResponseCode.NONEXISTENT, ResponseCode.OVERQUOTA, ResponseCode.INUSE, ResponseCode.LIMIT, ResponseCode.PARSE,
                ResponseCode.READ_ONLY, ResponseCode.CANNOT, ResponseCode.UNKNOWN_CTE))
                .extracting(ResponseCode::text).containsExactly("ALERT", "TRYCREATE", "NOMODSEQ", "CLOSED", "TOOBIG",
                        "AUTHENTICATIONFAILED", "UNAVAILABLE", "ALREADYEXISTS", "NONEXISTENT", "OVERQUOTA", "INUSE", "LIMIT",
                        "PARSE", "READ-ONLY", "CANNOT", "UNKNOWN-CTE");
        assertThat(new ResponseCode.BadCharset(List.of("US-ASCII", "UTF-8")).text()).isEqualTo("BADCHARSET (US-ASCII UTF-8)");
        assertThat(new ResponseCode.Capability(List.of("IMAP4rev2", "IMAP4rev1")).text()).isEqualTo("CAPABILITY IMAP4rev2 IMAP4rev1");
        assertThat(new ResponseCode.PermanentFlags(List.of("\\Deleted", "\\Seen", "\\*")).text()).isEqualTo("PERMANENTFLAGS (\\Deleted \\Seen \\*)");
        assertThat(ResponseCode.uidNext(4392).text()).isEqualTo("UIDNEXT 4392");
        assertThat(ResponseCode.uidValidity(3857529045L).text()).isEqualTo("UIDVALIDITY 3857529045");
        assertThat(ResponseCode.unseen(12).text()).isEqualTo("UNSEEN 12");
        assertThat(ResponseCode.highestModSeq(715194045007L).text()).isEqualTo("HIGHESTMODSEQ 715194045007");
        assertThat(new ResponseCode.AppendUid(38505, SequenceSet.of(3955, 3956)).text()).isEqualTo("APPENDUID 38505 3955:3956");
        assertThat(new ResponseCode.CopyUid(38505, SequenceSet.parse("304,319:320"), SequenceSet.parse("3956:3958")).text())
                .isEqualTo("COPYUID 38505 304,319:320 3956:3958");
        assertThat(new ResponseCode.Modified(SequenceSet.parse("7,9")).text()).isEqualTo("MODIFIED 7,9");
        assertThat(new ResponseCode.BadUrl("/INBOX;UIDVALIDITY=1/;UID=2]x").text()).isEqualTo("BADURL /INBOX;UIDVALIDITY=1/;UID=2x");
        assertThat(new ResponseCode.NoUpdate("B\"01").text()).isEqualTo("NOUPDATE \"B\\\"01\"");
        assertThat(new ResponseCode.BadEvent(List.of("MessageNew", "MessageExpunge")).text()).isEqualTo("BADEVENT (MessageNew MessageExpunge)");
        assertThat(new ResponseCode.UrlMech(List.of("INTERNAL")).text()).isEqualTo("URLMECH INTERNAL");
    }

    @Test
    void stringsAreAtomsQuotedOrLiteralsAsTheirContentRequires() {
        assertThat(write(list("INBOX"))).isEqualTo("* LIST () \"/\" INBOX\r\n");
        assertThat(write(list("My Stuff"))).isEqualTo("* LIST () \"/\" \"My Stuff\"\r\n");
        assertThat(write(list(""))).isEqualTo("* LIST () \"/\" \"\"\r\n");
        assertThat(write(list("NIL"))).as("NIL must not be taken for nil").isEqualTo("* LIST () \"/\" \"NIL\"\r\n");
        assertThat(write(list("a\"b\\c"))).isEqualTo("* LIST () \"/\" \"a\\\"b\\\\c\"\r\n");
        assertThat(write(list("a]b%"))).isEqualTo("* LIST () \"/\" \"a]b%\"\r\n");
        assertThat(write(list("line\nbreak"))).isEqualTo("* LIST () \"/\" line&AAo-break\r\n");
        assertThat(write(true, list("line\nbreak"))).isEqualTo("* LIST () \"/\" {10}\r\nline\nbreak\r\n");
        String longName = "x".repeat(1025);
        assertThat(write(list(longName + " "))).isEqualTo("* LIST () \"/\" {1026}\r\n" + longName + " \r\n");
        assertThat(write(new Response.ListMailbox(false, List.of("\\Noselect"), null, "flat", List.of(), null)))
                .isEqualTo("* LIST (\\Noselect) NIL flat\r\n");
        assertThat(write(new Response.ListMailbox(false, List.of(), '\\', "a", List.of(), null)))
                .isEqualTo("* LIST () \"\\\\\" a\r\n");
    }

    @Test
    void mailboxNamesAreModifiedUtf7OrUtf8() {
        assertThat(write(list("p\u00e4\u00e4 & co"))).isEqualTo("* LIST () \"/\" \"p&AOQA5A- &- co\"\r\n");
        assertThat(write(true, list("p\u00e4\u00e4 & co"))).isEqualTo("* LIST () \"/\" \"p\u00e4\u00e4 & co\"\r\n");
        assertThat(write(list("\u65e5\u672c\u8a9e"))).isEqualTo("* LIST () \"/\" &ZeVnLIqe-\r\n");
    }

    @Test
    void eightBitStringsAreLiteralsUnlessUtf8IsEnabled() {
        Envelope envelope = new Envelope(null, "caf\u00e9", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
        Response.Fetch fetch = new Response.Fetch(1, List.of(new FetchItem.EnvelopeItem(envelope)));
        assertThat(write(fetch)).isEqualTo("* 1 FETCH (ENVELOPE (NIL {5}\r\ncaf\u00e9 NIL NIL NIL NIL NIL NIL NIL NIL))\r\n");
        assertThat(write(true, fetch)).isEqualTo("* 1 FETCH (ENVELOPE (NIL \"caf\u00e9\" NIL NIL NIL NIL NIL NIL NIL NIL))\r\n");
    }

    @Test
    void mailboxDataResponses() {
        assertThat(write(new Response.Capability(List.of("IMAP4rev2", "IMAP4rev1", "LITERAL+"))))
                .isEqualTo("* CAPABILITY IMAP4rev2 IMAP4rev1 LITERAL+\r\n");
        assertThat(write(new Response.Enabled(List.of("CONDSTORE")))).isEqualTo("* ENABLED CONDSTORE\r\n");
        assertThat(write(new Response.Flags(List.of("\\Answered", "\\Seen", "$Junk")))).isEqualTo("* FLAGS (\\Answered \\Seen $Junk)\r\n");
        assertThat(write(new Response.Exists(23), new Response.Recent(5), new Response.Expunge(3)))
                .isEqualTo("* 23 EXISTS\r\n* 5 RECENT\r\n* 3 EXPUNGE\r\n");
        assertThat(write(new Response.Vanished(true, SequenceSet.parse("41,43:116")), new Response.Vanished(false, SequenceSet.of(405))))
                .isEqualTo("* VANISHED (EARLIER) 41,43:116\r\n* VANISHED 405\r\n");
        assertThat(write(new Response.MailboxStatus("blurdybloop", List.of(new Response.StatusValue(StatusItem.MESSAGES, 231L),
                new Response.StatusValue(StatusItem.UIDNEXT, 44292L), new Response.StatusValue(StatusItem.APPENDLIMIT, null)))))
                .isEqualTo("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292 APPENDLIMIT NIL)\r\n");
        assertThat(write(new Response.ListMailbox(false, List.of("\\HasChildren"), '/', "Foo", List.of("SUBSCRIBED"), null)))
                .isEqualTo("* LIST (\\HasChildren) \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n");
        assertThat(write(new Response.ListMailbox(false, List.of(), '/', "New", List.of("SUBSCRIBED"), "Old")))
                .isEqualTo("* LIST () \"/\" New (\"CHILDINFO\" (\"SUBSCRIBED\") \"OLDNAME\" (Old))\r\n");
        assertThat(write(new Response.ListMailbox(true, List.of("\\Noselect"), '.', "#news.comp.mail.misc", List.of(), null)))
                .isEqualTo("* LSUB (\\Noselect) \".\" #news.comp.mail.misc\r\n");
        assertThat(write(new Response.Namespace(List.of(new Response.NamespaceEntry("", '/')), List.of(),
                List.of(new Response.NamespaceEntry("Shared/", '/'), new Response.NamespaceEntry("#news.", '.')))))
                .isEqualTo("* NAMESPACE ((\"\" \"/\")) NIL ((\"Shared/\" \"/\")(\"#news.\" \".\"))\r\n");
        assertThat(write(new Response.Quota("", List.of(new Response.QuotaResource("STORAGE", 10, 512),
                new Response.QuotaResource("MESSAGE", 1, 100)))))
                .isEqualTo("* QUOTA \"\" (STORAGE 10 512 MESSAGE 1 100)\r\n");
        assertThat(write(new Response.QuotaRoot("INBOX", List.of("", "user")))).isEqualTo("* QUOTAROOT INBOX \"\" user\r\n");
        assertThat(write(new Response.Id(List.of(new Command.IdField("name", "Cartero"), new Command.IdField("support-url", null)))))
                .isEqualTo("* ID (\"name\" \"Cartero\" \"support-url\" NIL)\r\n");
        assertThat(write(new Response.Id(List.of()))).isEqualTo("* ID NIL\r\n");
    }

    @Test
    void searchSortAndEsearch() {
        assertThat(write(new Response.Search(new long[] {2, 84, 882}, OptionalLong.empty()))).isEqualTo("* SEARCH 2 84 882\r\n");
        assertThat(write(new Response.Search(new long[0], OptionalLong.of(5)))).isEqualTo("* SEARCH\r\n");
        assertThat(write(new Response.Search(new long[] {2, 5}, OptionalLong.of(917162500))))
                .isEqualTo("* SEARCH 2 5 (MODSEQ 917162500)\r\n");
        assertThat(write(new Response.Sort(new long[] {5, 3, 4}, OptionalLong.empty()))).isEqualTo("* SORT 5 3 4\r\n");
        assertThat(write(new Response.Esearch("A282", false, OptionalLong.of(2), OptionalLong.of(12), SequenceSet.parse("2,10:12"),
                OptionalLong.of(4), OptionalLong.of(9), null, List.of())))
                .isEqualTo("* ESEARCH (TAG \"A282\") MIN 2 MAX 12 ALL 2,10:12 COUNT 4 MODSEQ 9\r\n");
        assertThat(write(Response.Esearch.empty("A1", true))).isEqualTo("* ESEARCH (TAG \"A1\") UID\r\n");
        assertThat(write(new Response.Esearch("A1", false, OptionalLong.empty(), OptionalLong.empty(), null, OptionalLong.empty(),
                OptionalLong.empty(), new Response.PartialResult(new SearchReturn.PartialRange(6, 6), null), List.of())))
                .isEqualTo("* ESEARCH (TAG \"A1\") PARTIAL (6:6 NIL)\r\n");
        assertThat(write(new Response.Esearch("A1", true, OptionalLong.empty(), OptionalLong.empty(), null, OptionalLong.empty(),
                OptionalLong.empty(), new Response.PartialResult(new SearchReturn.PartialRange(-1, -10), SequenceSet.of(7, 9)), List.of())))
                .isEqualTo("* ESEARCH (TAG \"A1\") UID PARTIAL (-1:-10 7,9)\r\n");
        assertThat(write(new Response.Esearch("B01", true, OptionalLong.empty(), OptionalLong.empty(), null, OptionalLong.empty(),
                OptionalLong.empty(), null, List.of(new Response.ContextUpdate(true, 0, SequenceSet.of(32768, 32769)),
                new Response.ContextUpdate(false, 2, SequenceSet.of(5))))))
                .isEqualTo("* ESEARCH (TAG \"B01\") UID ADDTO (0 32768:32769) REMOVEFROM (2 5)\r\n");
    }

    private static Response.ThreadNode node(long message, Response.ThreadNode... children) {
        return new Response.ThreadNode(message, List.of(children));
    }

    @Test
    void threads() {
        // RFC 5256 section 4: (2)(3 6 (4 23)(44 7 96))
        assertThat(write(new Response.Thread(List.of(node(2),
                node(3, node(6, node(4, node(23)), node(44, node(7, node(96)))))))))
                .isEqualTo("* THREAD (2)(3 6 (4 23)(44 7 96))\r\n");
        // a missing parent: ((3)(5))
        assertThat(write(new Response.Thread(List.of(node(0, node(3), node(5)))))).isEqualTo("* THREAD ((3)(5))\r\n");
        // imaptest thread5: (1)((2)(3)), and (1 (2 4)(3))
        assertThat(write(new Response.Thread(List.of(node(1), node(0, node(2), node(3)))))).isEqualTo("* THREAD (1)((2)(3))\r\n");
        assertThat(write(new Response.Thread(List.of(node(1, node(2, node(4)), node(3)))))).isEqualTo("* THREAD (1 (2 4)(3))\r\n");
        // a missing parent with one child is that child
        assertThat(write(new Response.Thread(List.of(node(1, node(0, node(2))))))).isEqualTo("* THREAD (1 2)\r\n");
        assertThat(write(new Response.Thread(List.of()))).isEqualTo("* THREAD\r\n");
        Response.ThreadNode chain = node(100_000);
        for (long n = 99_999; n > 0; n--) chain = node(n, chain);
        assertThat(write(new Response.Thread(List.of(chain)))).startsWith("* THREAD (1 2 3 ").endsWith(" 99999 100000)\r\n");
    }

    @Test
    void urlauthResponses() {
        String url = "imap://joe@example.com/INBOX/;uid=20;urlauth=anonymous:internal:91354a473744909de610943775f92038";
        assertThat(write(new Response.GenUrlAuth(List.of(url)))).isEqualTo("* GENURLAUTH " + url + "\r\n");
        assertThat(write(Response.UrlFetch.plain(url, new Content.Nil()))).isEqualTo("* URLFETCH " + url + " NIL\r\n");
        assertThat(write(Response.UrlFetch.plain(url, new Content.Bytes("Hi\r\n".getBytes(StandardCharsets.US_ASCII)))))
                .isEqualTo("* URLFETCH " + url + " {4}\r\nHi\r\n\r\n");
        BodyStructure text = new BodyStructure.Text(new BodyStructure.Fields("text", "plain", List.of(), null, null, "base64", 22),
                3, null, BodyStructure.Extension.NONE);
        assertThat(write(new Response.UrlFetch(url, true, text, new Content.Bytes(new byte[] {'a', 0}), true)))
                .isEqualTo("* URLFETCH " + url + " (BODYPARTSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"base64\" 22 3 NIL NIL NIL NIL)"
                        + " BINARY ~{2}\r\na\0)\r\n");
        assertThat(write(new Response.UrlFetch(url, true, null, new Content.Bytes("x".getBytes(StandardCharsets.US_ASCII)), false)))
                .isEqualTo("* URLFETCH " + url + " (BODY \"x\")\r\n");
    }

    @Test
    void continuations() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ResponseWriter writer = new ResponseWriter(bytes);
        writer.continuation("Ready for literal data");
        writer.challenge(new byte[0]);
        writer.challenge("abc".getBytes(StandardCharsets.US_ASCII));
        writer.flush();
        assertThat(bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("+ Ready for literal data\r\n+ \r\n+ YWJj\r\n");
    }

    // ---- FETCH ------------------------------------------------------------------------------

    @Test
    void fetchDataItems() {
        Response.Fetch fetch = new Response.Fetch(12, List.of(new FetchItem.Uid(4827313), new FetchItem.Flags(List.of("\\Seen", "$Junk")),
                new FetchItem.InternalDate(OffsetDateTime.parse("1996-07-17T02:44:25-07:00")), new FetchItem.Rfc822Size(4286),
                new FetchItem.ModSeq(624140003), new FetchItem.BinarySize(List.of(1, 2), 1234)));
        assertThat(write(fetch)).isEqualTo("* 12 FETCH (UID 4827313 FLAGS (\\Seen $Junk) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\""
                + " RFC822.SIZE 4286 MODSEQ (624140003) BINARY.SIZE[1.2] 1234)\r\n");
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Flags(List.of()))))).isEqualTo("* 1 FETCH (FLAGS ())\r\n");
    }

    @Test
    void bodySectionsWithTheirOrigin() {
        byte[] header = "From: a@b\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Section fields = new Section(List.of(1), Section.Text.HEADER_FIELDS, List.of("From", "x y"));
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.BodySection(fields, OptionalLong.empty(), new Content.Bytes(header))))))
                .isEqualTo("* 1 FETCH (BODY[1.HEADER.FIELDS (From \"x y\")] {13}\r\nFrom: a@b\r\n\r\n)\r\n");
        assertThat(write(new Response.Fetch(2, List.of(new FetchItem.BodySection(new Section(List.of(), Section.Text.TEXT, List.of()),
                OptionalLong.of(0), new Content.Bytes("bod".getBytes(StandardCharsets.US_ASCII)))))))
                .isEqualTo("* 2 FETCH (BODY[TEXT]<0> \"bod\")\r\n");
        assertThat(write(new Response.Fetch(3, List.of(new FetchItem.BodySection(new Section(List.of(4, 2), Section.Text.MIME, List.of()),
                OptionalLong.empty(), new Content.Nil())))))
                .isEqualTo("* 3 FETCH (BODY[4.2.MIME] NIL)\r\n");
        assertThat(write(new Response.Fetch(4, List.of(new FetchItem.Rfc822(FetchItem.Rfc822Part.HEADER, new Content.Bytes(header)),
                new FetchItem.Rfc822(FetchItem.Rfc822Part.TEXT, new Content.Bytes(new byte[0])),
                new FetchItem.BodySection(Section.WHOLE, OptionalLong.empty(), new Content.Bytes(new byte[] {'a', 0, 'b'}))))))
                .isEqualTo("* 4 FETCH (RFC822.HEADER {13}\r\nFrom: a@b\r\n\r\n RFC822.TEXT \"\" BODY[] {3}\r\na\u0080b)\r\n".replace("\u0080", "\ufffd"));
    }

    @Test
    void binaryItemsUseLiteral8ForNul() {
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Binary(List.of(5), OptionalLong.of(10),
                new Content.Bytes(new byte[] {'x', 0, 'y'}))))))
                .isEqualTo("* 1 FETCH (BINARY[5]<10> ~{3}\r\nx\0y)\r\n");
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Binary(List.of(1), OptionalLong.empty(),
                new Content.Bytes("hello".getBytes(StandardCharsets.US_ASCII)))))))
                .isEqualTo("* 1 FETCH (BINARY[1] \"hello\")\r\n");
        byte[] withNul = {'a', 0, 'b', 0};
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Binary(List.of(), OptionalLong.empty(),
                new Content.Stream(4, true, () -> new ByteArrayInputStream(withNul)))))))
                .isEqualTo("* 1 FETCH (BINARY[] ~{4}\r\na\0b\0)\r\n");
    }

    @Test
    void streamedBodiesAreCopiedWithoutBeingHeld() throws IOException {
        long size = 50L * 1024 * 1024;
        CountingOutput counter = new CountingOutput();
        ResponseWriter writer = new ResponseWriter(counter);
        boolean[] closed = {false};
        Content body = new Content.Stream(size, false, () -> new Pattern(size, closed));
        writer.write(new Response.Fetch(7, List.of(new FetchItem.BodySection(Section.WHOLE, OptionalLong.empty(), body))));
        writer.flush();
        String prefix = "* 7 FETCH (BODY[] {" + size + "}\r\n";
        assertThat(counter.count).isEqualTo(prefix.length() + size + ")\r\n".length());
        assertThat(counter.start.toString(StandardCharsets.US_ASCII)).startsWith(prefix + "abcdefghij");
        assertThat(closed[0]).isTrue();
    }

    @Test
    void streamShorterThanAnnouncedFails() {
        Content shortBody = new Content.Stream(10, false, () -> new ByteArrayInputStream(new byte[4]));
        ResponseWriter writer = new ResponseWriter(OutputStream.nullOutputStream());
        assertThatThrownBy(() -> writer.write(new Response.Fetch(1, List.of(new FetchItem.BodySection(Section.WHOLE, OptionalLong.empty(), shortBody)))))
                .isInstanceOf(IOException.class).hasMessage("content ended 6 bytes before its announced size");
    }

    // ---- ENVELOPE and BODYSTRUCTURE ---------------------------------------------------------

    private static Address.Mailbox mailbox(String name, String adl, String local, String host) {
        return new Address.Mailbox(name, adl, local, host);
    }

    @Test
    void envelopeAsImaptestExpectsIt() {
        // imaptest fetch-envelope, message 1
        Envelope one = new Envelope("Thu, 15 Feb 2007 01:02:03 +0200", "subject header",
                List.of(mailbox("From Real", null, "fromuser", "fromdomain.org")),
                List.of(mailbox("Sender Real", null, "senderuser", "senderdomain.org")),
                List.of(mailbox("ReplyTo Real", null, "replytouser", "replytodomain.org")),
                List.of(mailbox("To Real", null, "touser", "todomain.org")),
                List.of(mailbox("Cc Real", null, "ccuser", "ccdomain.org")),
                List.of(mailbox("Bcc Real", null, "bccuser", "bccdomain.org")), "<reply@to.id>", "<msg@id>");
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.EnvelopeItem(one)))))
                .isEqualTo("* 1 FETCH (ENVELOPE (\"Thu, 15 Feb 2007 01:02:03 +0200\" \"subject header\" ((\"From Real\" NIL \"fromuser\" \"fromdomain.org\"))"
                        + " ((\"Sender Real\" NIL \"senderuser\" \"senderdomain.org\")) ((\"ReplyTo Real\" NIL \"replytouser\" \"replytodomain.org\"))"
                        + " ((\"To Real\" NIL \"touser\" \"todomain.org\")) ((\"Cc Real\" NIL \"ccuser\" \"ccdomain.org\"))"
                        + " ((\"Bcc Real\" NIL \"bccuser\" \"bccdomain.org\")) \"<reply@to.id>\" \"<msg@id>\"))\r\n");
        // message 4: groups in To and Cc; message 6: a source route
        List<Address> from = List.of(mailbox("Real Name", null, "user", "domain"));
        Envelope four = new Envelope("Thu, 15 Feb 2007 01:02:03 +0200", null, from, from, from,
                List.of(new Address.Group("group", List.of(mailbox(null, null, "g1", "d1.org"), mailbox(null, null, "g2", "d2.org"))),
                        new Address.Group("group2", List.of(mailbox(null, null, "g3", "d3.org")))),
                List.of(new Address.Group("group", List.of()), new Address.Group("group2", List.of())), List.of(), null, null);
        assertThat(write(new Response.Fetch(4, List.of(new FetchItem.EnvelopeItem(four)))))
                .isEqualTo("* 4 FETCH (ENVELOPE (\"Thu, 15 Feb 2007 01:02:03 +0200\" NIL ((\"Real Name\" NIL \"user\" \"domain\"))"
                        + " ((\"Real Name\" NIL \"user\" \"domain\")) ((\"Real Name\" NIL \"user\" \"domain\"))"
                        + " ((NIL NIL \"group\" NIL)(NIL NIL \"g1\" \"d1.org\")(NIL NIL \"g2\" \"d2.org\")(NIL NIL NIL NIL)"
                        + "(NIL NIL \"group2\" NIL)(NIL NIL \"g3\" \"d3.org\")(NIL NIL NIL NIL))"
                        + " ((NIL NIL \"group\" NIL)(NIL NIL NIL NIL)(NIL NIL \"group2\" NIL)(NIL NIL NIL NIL)) NIL NIL NIL))\r\n");
        List<Address> routed = List.of(mailbox(null, "@route", "user", "domain"));
        Envelope six = new Envelope("d", null, routed, routed, routed, List.of(), List.of(), List.of(), null, null);
        assertThat(write(new Response.Fetch(6, List.of(new FetchItem.EnvelopeItem(six)))))
                .isEqualTo("* 6 FETCH (ENVELOPE (\"d\" NIL ((NIL \"@route\" \"user\" \"domain\")) ((NIL \"@route\" \"user\" \"domain\"))"
                        + " ((NIL \"@route\" \"user\" \"domain\")) NIL NIL NIL NIL NIL))\r\n");
    }

    @Test
    void bodyWithoutExtensionDataAsImaptestExpectsIt() {
        // imaptest fetch-bodystructure: BODY of a multipart/mixed with one text part
        BodyStructure text = new BodyStructure.Text(new BodyStructure.Fields("TEXT", "x-MYOWN",
                List.of(new BodyStructure.Parameter("CHARSET", "us-ascii")), null, null, "7BIT", 7), 1, null,
                BodyStructure.Extension.NONE);
        BodyStructure mixed = new BodyStructure.Multipart(List.of(text), "MIXED",
                List.of(new BodyStructure.Parameter("BOUNDARY", "foo")), BodyStructure.Extension.NONE);
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Structure(mixed, false)))))
                .isEqualTo("* 1 FETCH (BODY ((\"TEXT\" \"x-MYOWN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 7 1) \"MIXED\"))\r\n");
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Structure(mixed, true)))))
                .isEqualTo("* 1 FETCH (BODYSTRUCTURE ((\"TEXT\" \"x-MYOWN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 7 1 NIL NIL NIL NIL)"
                        + " \"MIXED\" (\"BOUNDARY\" \"foo\") NIL NIL NIL))\r\n");
    }

    @Test
    void bodyStructureWithEveryKindOfPartAndExtensionData() {
        BodyStructure.Extension inline = new BodyStructure.Extension(new BodyStructure.Disposition("inline", List.of()), List.of("en"), null);
        BodyStructure plain = new BodyStructure.Text(new BodyStructure.Fields("text", "plain",
                List.of(new BodyStructure.Parameter("charset", "utf-8")), "<id@x>", "greeting", "quoted-printable", 1152), 23,
                "Q2hlY2sgSW50ZWdyaXR5IQ==", inline);
        BodyStructure.Extension attachment = new BodyStructure.Extension(new BodyStructure.Disposition("attachment",
                List.of(new BodyStructure.Parameter("filename", "a b.pdf"))), List.of("en", "fr"), "http://x/a.pdf");
        BodyStructure pdf = new BodyStructure.Basic(new BodyStructure.Fields("application", "pdf", List.of(), null, null, "base64", 4554),
                null, attachment);
        Envelope inner = new Envelope(null, "inner", List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null);
        BodyStructure nested = new BodyStructure.Message(new BodyStructure.Fields("message", "rfc822", List.of(), null, null, null, 300),
                inner, new BodyStructure.Basic(new BodyStructure.Fields("application", "octet-stream", List.of(), null, null, "8bit", 20),
                null, BodyStructure.Extension.NONE), 10, null, BodyStructure.Extension.NONE);
        BodyStructure mixed = new BodyStructure.Multipart(List.of(plain, pdf, nested), "mixed",
                List.of(new BodyStructure.Parameter("boundary", "xyz")), BodyStructure.Extension.NONE);
        String expected = "(("
                + "\"text\" \"plain\" (\"charset\" \"utf-8\") \"<id@x>\" \"greeting\" \"quoted-printable\" 1152 23"
                + " \"Q2hlY2sgSW50ZWdyaXR5IQ==\" (\"inline\" NIL) \"en\" NIL)"
                + "(\"application\" \"pdf\" NIL NIL NIL \"base64\" 4554 NIL (\"attachment\" (\"filename\" \"a b.pdf\")) (\"en\" \"fr\") \"http://x/a.pdf\")"
                + "(\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" 300 (NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL)"
                + " (\"application\" \"octet-stream\" NIL NIL NIL \"8bit\" 20 NIL NIL NIL NIL) 10 NIL NIL NIL NIL)"
                + " \"mixed\" (\"boundary\" \"xyz\") NIL NIL NIL)";
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Structure(mixed, true)))))
                .isEqualTo("* 1 FETCH (BODYSTRUCTURE " + expected + ")\r\n");
        assertThat(write(new Response.Fetch(1, List.of(new FetchItem.Structure(nested, false)))))
                .isEqualTo("* 1 FETCH (BODY (\"message\" \"rfc822\" NIL NIL NIL \"7BIT\" 300 (NIL \"inner\" NIL NIL NIL NIL NIL NIL NIL NIL)"
                        + " (\"application\" \"octet-stream\" NIL NIL NIL \"8bit\" 20) 10))\r\n");
    }

    /** Counts what is written, keeping only the first bytes. */
    private static final class CountingOutput extends OutputStream {
        long count;
        final ByteArrayOutputStream start = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (start.size() < 100) start.write(b, off, Math.min(len, 100));
            count += len;
        }
    }

    /** "abcdefghij" repeated up to a size, generated as it is read. */
    private static final class Pattern extends InputStream {
        private final long size;
        private final boolean[] closed;
        private long position;

        Pattern(long size, boolean[] closed) {
            this.size = size;
            this.closed = closed;
        }

        @Override
        public int read() {
            return position < size ? 'a' + (int) (position++ % 10) : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) return -1;
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) b[off + i] = (byte) ('a' + (position++ % 10));
            return n;
        }

        @Override
        public void close() {
            closed[0] = true;
        }
    }
}
