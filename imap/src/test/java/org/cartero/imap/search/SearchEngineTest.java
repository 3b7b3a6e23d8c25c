package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every search key over a real Maildir, with messages in the encodings mail comes in. */
class SearchEngineTest {
    @TempDir Path tmp;
    TestMailbox mailbox;
    /** UIDs start at 2 (the first message was expunged), so sequence numbers and UIDs differ. */
    long uid1, uid2, uid3, uid4, uid5;

    static final String PLAIN = """
            From: Alice Example <alice@example.org>
            To: Bob <bob@example.net>, carol@example.net
            Cc: dave@example.com
            Bcc: eve@example.com
            Subject: Quarterly report
            Date: Mon, 15 Jan 2024 09:30:00 -0500
            Message-ID: <m1@example.org>
            X-Tag: first
            X-Tag: second
             value

            The numbers are in. Revenue grew.
            """;

    static final String QUOTED_PRINTABLE_LATIN1 = """
            From: =?utf-8?q?J=C3=BCrgen?= <juergen@example.de>
            To: alice@example.org
            Subject: =?utf-8?q?R=C3=A9sum=C3=A9_attached?=
            Date: Wed, 17 Jan 2024 00:30:00 +0100
            MIME-Version: 1.0
            Content-Type: text/plain; charset=ISO-8859-1
            Content-Transfer-Encoding: quoted-printable

            Un caf=E9 cr=E8me, s'il vous pla=EEt. Soft=
             line break joins.
            """;

    static final String MULTIPART_BASE64 = """
            From: Carol <carol@example.net>
            To: alice@example.org
            Subject: Photos
            Date: Wed, 17 Jan 2024 08:00:00 +0000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            --outer
            Content-Type: multipart/alternative; boundary="inner"

            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: base64

            %s
            --inner
            Content-Type: text/html; charset=utf-8

            <html><body><p>Hello <b>world</b> in HTML</p></body></html>
            --inner--
            --outer
            Content-Type: image/png; name="photo.png"
            Content-Disposition: attachment; filename*=utf-8''ph%%C3%%B6to.png
            Content-Transfer-Encoding: base64

            %s
            --outer--
            """.formatted(base64("Greetings from Moscow: Привет, мир!"), base64("binarysecretword"));

    static final String FORWARDED_MESSAGE = """
            From: dave@example.com
            To: alice@example.org
            Subject: Fwd: Old news
            Date: Thu, 18 Jan 2024 10:00:00 +0000
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="b"

            --b
            Content-Type: text/plain

            See below.
            --b
            Content-Type: message/rfc822

            From: someone@old.example
            Subject: Ancient history
            Date: Mon, 1 Jan 2001 00:00:00 +0000

            Embedded body mentions zeppelins.
            --b--
            """;

    static final String UTF8_HEADERS = """
            From: Jürgen Groß <jg@example.de>
            To: alice@example.org
            Subject: Grüße aus München
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            Schöne Grüße!
            """;

    @BeforeEach
    void fill() throws IOException {
        mailbox = new TestMailbox(tmp);
        long gone = mailbox.append("Subject: expunged\n\nx\n");
        mailbox.folder.store(UidSet.of(gone), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
        mailbox.folder.expunge(null);
        uid1 = mailbox.append(PLAIN, Instant.parse("2024-01-15T14:30:00Z"), Flags.of(Flags.SEEN | Flags.FLAGGED, "$Important"));
        uid2 = mailbox.append(QUOTED_PRINTABLE_LATIN1, Instant.parse("2024-01-16T23:30:00Z"), Flags.of(Flags.ANSWERED));
        uid3 = mailbox.append(MULTIPART_BASE64, Instant.parse("2024-01-17T08:00:00Z"), Flags.of(Flags.DRAFT, "$Later"));
        uid4 = mailbox.append(FORWARDED_MESSAGE, Instant.parse("2024-01-18T10:00:00Z"), Flags.of(Flags.DELETED | Flags.SEEN));
        uid5 = mailbox.append(UTF8_HEADERS, Instant.parse("2024-05-31T23:00:00Z"), Flags.NONE);
    }

    @AfterEach
    void close() {
        mailbox.close();
    }

    private static String base64(String text) {
        return Base64.getMimeEncoder(20, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<Integer> search(String program) throws IOException {
        return search(program, mailbox.view());
    }

    private List<Integer> search(String program, MailboxView view) throws IOException {
        return numbers(mailbox.engine().search(Commands.key(program), view));
    }

    private static List<Integer> numbers(SearchResult result) {
        List<Integer> out = new ArrayList<>();
        for (int n : result.sequenceNumbers()) out.add(n);
        return out;
    }

    @Test
    void systemFlagsAndKeywords() throws IOException {
        assertThat(search("SEEN")).containsExactly(1, 4);
        assertThat(search("UNSEEN")).containsExactly(2, 3, 5);
        assertThat(search("ANSWERED")).containsExactly(2);
        assertThat(search("UNANSWERED")).containsExactly(1, 3, 4, 5);
        assertThat(search("DELETED")).containsExactly(4);
        assertThat(search("UNDELETED")).containsExactly(1, 2, 3, 5);
        assertThat(search("DRAFT")).containsExactly(3);
        assertThat(search("UNDRAFT")).containsExactly(1, 2, 4, 5);
        assertThat(search("FLAGGED")).containsExactly(1);
        assertThat(search("UNFLAGGED")).containsExactly(2, 3, 4, 5);
        assertThat(search("KEYWORD $Important")).containsExactly(1);
        assertThat(search("KEYWORD $important")).containsExactly(1);
        assertThat(search("UNKEYWORD $Important")).containsExactly(2, 3, 4, 5);
        assertThat(search("KEYWORD $Nothing")).isEmpty();
    }

    @Test
    void recentNewAndOldFollowTheSession() throws IOException {
        MailboxView view = mailbox.view(null, UidSet.of(uid4, uid5));
        assertThat(search("RECENT", view)).containsExactly(4, 5);
        assertThat(search("NEW", view)).containsExactly(5);
        assertThat(search("OLD", view)).containsExactly(1, 2, 3);
        assertThat(search("RECENT")).isEmpty();
    }

    @Test
    void sequenceSetsUidSetsAndTheSavedResult() throws IOException {
        assertThat(uid1).isEqualTo(2);
        assertThat(search("2:4")).containsExactly(2, 3, 4);
        assertThat(search("4:2")).containsExactly(2, 3, 4);
        assertThat(search("1,*")).containsExactly(1, 5);
        assertThat(search("*:4")).containsExactly(4, 5);
        assertThat(search("NOT 2:3")).containsExactly(1, 4, 5);
        assertThat(search("6:7")).isEmpty();
        assertThat(search("UID " + uid2 + ":" + uid4)).containsExactly(2, 3, 4);
        assertThat(search("UID *")).containsExactly(5);
        assertThat(search("UID 1")).isEmpty();
        assertThat(search("UID " + (uid5 + 1) + ":*")).containsExactly(5);
        MailboxView saved = mailbox.view(UidSet.of(uid2, uid5), null);
        assertThat(search("$", saved)).containsExactly(2, 5);
        assertThat(search("UID $", saved)).containsExactly(2, 5);
        assertThat(search("NOT $", saved)).containsExactly(1, 3, 4);
        assertThat(search("$")).isEmpty();
        SearchResult result = mailbox.engine().search(Commands.key("UID " + uid3 + ":*"), mailbox.view());
        assertThat(result.uids()).containsExactly(uid3, uid4, uid5);
        assertThat(result.numbers(true)).containsExactly(uid3, uid4, uid5);
        assertThat(result.numbers(false)).containsExactly(3, 4, 5);
        assertThat(result.uidSet()).isEqualTo(UidSet.of(uid3, uid4, uid5));
    }

    @Test
    void sizesCompareWithRfc822Size() throws IOException {
        List<MessageInfo> infos = new ArrayList<>();
        mailbox.folder.messages(UidSet.all(), java.util.Set.of(), infos::add);
        long size1 = infos.getFirst().size();
        assertThat(size1).isEqualTo(PLAIN.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8).length);
        List<Integer> smaller = new ArrayList<>();
        List<Integer> larger = new ArrayList<>();
        for (int i = 0; i < infos.size(); i++) {
            if (infos.get(i).size() < size1) smaller.add(i + 1);
            if (infos.get(i).size() > size1) larger.add(i + 1);
        }
        assertThat(search("SMALLER " + size1)).isEqualTo(smaller).doesNotContain(1);
        assertThat(search("LARGER " + size1)).isEqualTo(larger).doesNotContain(1);
        assertThat(search("NOT SMALLER " + size1 + " NOT LARGER " + size1)).containsExactly(1);
        assertThat(search("LARGER 0")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void internalDatesCompareByDayInTheSessionsZone() throws IOException {
        assertThat(search("ON 16-Jan-2024")).containsExactly(2);
        assertThat(search("BEFORE 17-Jan-2024")).containsExactly(1, 2);
        assertThat(search("SINCE 18-Jan-2024")).containsExactly(4, 5);
        assertThat(search("SINCE 1-Jun-2024")).isEmpty();
        SearchEngine paris = new SearchEngine(mailbox.folder, ZoneId.of("Europe/Paris"));
        // 23:30 UTC on the 16th is 00:30 on the 17th in Paris
        assertThat(numbers(paris.search(Commands.key("ON 17-Jan-2024"), mailbox.view()))).containsExactly(2, 3);
        assertThat(numbers(paris.search(Commands.key("ON 16-Jan-2024"), mailbox.view()))).isEmpty();
    }

    @Test
    void sentDatesCompareTheDayAsWritten() throws IOException {
        // message 2 was sent at 00:30 +0100 on the 17th: 23:30 UTC on the 16th
        assertThat(search("SENTON 17-Jan-2024")).containsExactly(2, 3);
        assertThat(search("SENTON 16-Jan-2024")).isEmpty();
        assertThat(search("SENTBEFORE 17-Jan-2024")).containsExactly(1);
        assertThat(search("SENTSINCE 18-Jan-2024")).containsExactly(4);
        // message 5 has no Date field: no SENT key matches it, their negations do
        assertThat(search("NOT SENTSINCE 1-Jan-1970")).containsExactly(5);
    }

    @Test
    void olderAndYoungerMeasureFromNow() throws IOException {
        // now is 2024-06-01T00:00:00Z; message 5 arrived an hour before
        assertThat(search("YOUNGER 3600")).containsExactly(5);
        assertThat(search("YOUNGER 3599")).isEmpty();
        assertThat(search("OLDER 3600")).containsExactly(1, 2, 3, 4, 5);
        assertThat(search("OLDER 3601")).containsExactly(1, 2, 3, 4);
    }

    @Test
    void modseqAndTheHighestModseqFound() throws IOException {
        List<MessageInfo> infos = new ArrayList<>();
        mailbox.folder.messages(UidSet.all(), java.util.Set.of(), infos::add);
        long modseq3 = infos.get(2).modseq();
        SearchResult result = mailbox.engine().search(Commands.key("MODSEQ " + modseq3), mailbox.view());
        assertThat(numbers(result)).containsExactly(3, 4, 5);
        assertThat(result.highestModseq()).isEqualTo(infos.get(4).modseq());
        mailbox.folder.store(UidSet.of(uid1), FlagOperation.ADD, Flags.of(Flags.ANSWERED), -1);
        SearchResult after = mailbox.engine().search(Commands.key("MODSEQ \"/flags/\\\\Answered\" all " + modseq3), mailbox.view());
        assertThat(numbers(after)).containsExactly(1, 3, 4, 5);
        assertThat(after.highestModseq()).isGreaterThan(infos.get(4).modseq());
        assertThat(mailbox.engine().search(Commands.key("SEEN"), mailbox.view()).highestModseq()).isZero();
        long beyond = after.highestModseq() + 1;
        assertThat(mailbox.engine().search(Commands.key("MODSEQ " + beyond), mailbox.view()).isEmpty()).isTrue();
        assertThat(mailbox.engine().search(Commands.key("MODSEQ " + beyond), mailbox.view()).highestModseq()).isZero();
    }

    @Test
    void theIndexDataFollowsChangesBetweenSearches() throws IOException {
        SearchEngine engine = mailbox.engine();
        assertThat(numbers(engine.search(Commands.key("FLAGGED"), mailbox.view()))).containsExactly(1);
        mailbox.folder.store(UidSet.of(uid3), FlagOperation.ADD, Flags.of(Flags.FLAGGED), -1);
        long uid6 = mailbox.append("Subject: new\n\nnew\n", Instant.parse("2024-02-01T00:00:00Z"), Flags.of(Flags.FLAGGED));
        assertThat(numbers(engine.search(Commands.key("FLAGGED"), mailbox.view()))).containsExactly(1, 3, 6);
        mailbox.folder.store(UidSet.of(uid1), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
        mailbox.folder.expunge(UidSet.of(uid1));
        assertThat(numbers(engine.search(Commands.key("FLAGGED"), mailbox.view()))).containsExactly(2, 5);
        assertThat(engine.search(Commands.key("FLAGGED"), mailbox.view()).uids()).containsExactly(uid3, uid6);
    }

    @Test
    void addressKeysMatchDisplayNamesAndAddresses() throws IOException {
        assertThat(search("FROM alice")).containsExactly(1);
        assertThat(search("FROM \"Alice Example <alice@\"")).containsExactly(1);
        assertThat(search("FROM example.de")).containsExactly(2, 5);
        // a name in an encoded word, and one in raw UTF-8 (RFC 6532)
        assertThat(search("FROM \"jürgen\"")).containsExactly(2, 5);
        assertThat(search("FROM \"JÜRGEN\"")).containsExactly(2, 5);
        assertThat(search("TO carol")).containsExactly(1);
        assertThat(search("TO alice@example.org")).containsExactly(2, 3, 4, 5);
        assertThat(search("CC dave")).containsExactly(1);
        assertThat(search("BCC eve@")).containsExactly(1);
        assertThat(search("CC \"\"")).containsExactly(1);
        assertThat(search("FROM nobody")).isEmpty();
    }

    @Test
    void subjectMatchesTheDecodedSubject() throws IOException {
        assertThat(search("SUBJECT report")).containsExactly(1);
        assertThat(search("SUBJECT \"résumé att\"")).containsExactly(2);
        assertThat(search("SUBJECT \"RÉSUMÉ\"")).containsExactly(2);
        assertThat(search("SUBJECT \"münchen\"")).containsExactly(5);
        assertThat(search("SUBJECT \"\"")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void headerMatchesEveryFieldOfThatName() throws IOException {
        assertThat(search("HEADER X-Tag first")).containsExactly(1);
        assertThat(search("HEADER x-tag \"second value\"")).containsExactly(1);
        assertThat(search("HEADER X-Tag \"\"")).containsExactly(1);
        assertThat(search("NOT HEADER X-Tag \"\"")).containsExactly(2, 3, 4, 5);
        assertThat(search("HEADER Message-ID <m1@")).containsExactly(1);
        assertThat(search("HEADER Subject \"résumé\"")).containsExactly(2);
        assertThat(search("HEADER Content-Transfer-Encoding BASE64")).isEmpty(); // only the message's own header
        assertThat(search("HEADER Content-Transfer-Encoding 8bit")).containsExactly(5);
    }

    @Test
    void bodyMatchesTheDecodedTextOfTextParts() throws IOException {
        assertThat(search("BODY \"café\"")).containsExactly(2);
        assertThat(search("BODY \"CRÈME\"")).containsExactly(2);
        assertThat(search("BODY \"Soft line break\"")).containsExactly(2);
        assertThat(search("BODY \"привет\"")).containsExactly(3);
        assertThat(search("BODY world")).containsExactly(3);
        assertThat(search("BODY secretword")).isEmpty();
        assertThat(search("BODY zeppelins")).containsExactly(4);
        assertThat(search("BODY \"Ancient history\"")).isEmpty();
        assertThat(search("BODY \"schöne\"")).containsExactly(5);
        assertThat(search("BODY report")).isEmpty();
        assertThat(search("BODY \"\"")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void textMatchesHeadersToo() throws IOException {
        assertThat(search("TEXT report")).containsExactly(1);
        assertThat(search("TEXT \"Ancient history\"")).containsExactly(4);
        assertThat(search("TEXT \"phöto\"")).containsExactly(3);
        assertThat(search("TEXT revenue")).containsExactly(1);
        assertThat(search("TEXT \"X-Tag: second value\"")).containsExactly(1);
    }

    @Test
    void theSearchStringIsReadInTheCommandsCharset() throws IOException {
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes("SEARCH CHARSET ISO-8859-1 BODY {4+}\r\n".getBytes(StandardCharsets.US_ASCII));
        command.writeBytes(new byte[] {'c', 'a', 'f', (byte) 0xe9});
        Command.Search parsed = (Command.Search) Commands.parse(command.toByteArray());
        assertThat(numbers(mailbox.engine().search(parsed.key(), mailbox.view()))).containsExactly(2);
    }

    @Test
    void andOrAndNot() throws IOException {
        assertThat(search("OR SEEN DRAFT")).containsExactly(1, 3, 4);
        assertThat(search("SEEN NOT DELETED")).containsExactly(1);
        assertThat(search("(FROM alice) UNSEEN")).isEmpty();
        assertThat(search("OR BODY zeppelins FLAGGED")).containsExactly(1, 4);
        assertThat(search("NOT OR BODY zeppelins FLAGGED")).containsExactly(2, 3, 5);
        assertThat(search("UNSEEN (OR SUBJECT photos BODY \"café\")")).containsExactly(2, 3);
        assertThat(search("ALL")).containsExactly(1, 2, 3, 4, 5);
        assertThat(search("NOT ALL")).isEmpty();
    }

    @Test
    void searchingAmongSomeMessages() throws IOException {
        SearchEngine engine = mailbox.engine();
        SearchResult result = engine.search(Commands.key("UNSEEN"), mailbox.view(), UidSet.of(uid1, uid2, uid4));
        assertThat(numbers(result)).containsExactly(2);
        assertThat(numbers(engine.search(Commands.key("ALL"), mailbox.view(), UidSet.EMPTY))).isEmpty();
        assertThat(numbers(engine.search(Commands.key("UNSEEN"), mailbox.view(), UidSet.all()))).containsExactly(2, 3, 5);
        assertThat(numbers(engine.search(Commands.key("ALL"), mailbox.view(), UidSet.range(uid3, uid3 + 100)))).containsExactly(3, 4, 5);
    }

    @Test
    void onlyTheSessionsMessagesAreSearched() throws IOException {
        MailboxView before = mailbox.view();
        mailbox.append("Subject: later\n\nlater\n");
        assertThat(search("ALL", before)).containsExactly(1, 2, 3, 4, 5);
        assertThat(search("*", before)).containsExactly(5);
    }

    @Test
    void aMessageExpungedByAnotherSessionMatchesNoKeyOnItsData() throws IOException {
        MailboxView before = mailbox.view();
        mailbox.folder.expunge(UidSet.of(uid4)); // message 4 is \Deleted
        assertThat(search("DELETED", before)).isEmpty();
        assertThat(search("SEEN", before)).containsExactly(1);
        assertThat(search("BODY zeppelins", before)).isEmpty();
        assertThat(search("FROM dave", before)).isEmpty();
        assertThat(search("4", before)).containsExactly(4);
        assertThat(search("NOT SEEN", before)).containsExactly(2, 3, 5);
    }
}
