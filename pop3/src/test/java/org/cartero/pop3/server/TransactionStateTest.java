package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLSocket;
import org.cartero.core.directory.Account;
import org.cartero.store.AccountStore;
import org.cartero.store.FlagOperation;
import org.cartero.store.Flags;
import org.cartero.store.Folder;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TRANSACTION and UPDATE states (RFC 1939 sections 5 to 7) over real sockets. */
class TransactionStateTest {
    private static final String USER = "alice@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;
    private Account alice;

    @BeforeEach
    void start() throws Exception {
        start("");
    }

    private void start(String extraToml) throws Exception {
        if (server != null) server.close();
        server = Pop3TestServer.start(dir.resolve("server" + System.nanoTime()), extraToml);
        alice = server.addUser(USER);
        server.deliver(alice, Pop3TestServer.message("first", "Hello\n.a line with a dot\n..two dots\nend\n"));
        server.deliver(alice, Pop3TestServer.message("second", "one\ntwo\nthree\nfour\n"));
        server.deliver(alice, Pop3TestServer.message("third", "last"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private Pop3Client session() throws Exception {
        Pop3Client client = Pop3Client.implicitTls(server);
        client.loginWhenFree(USER);
        return client;
    }

    /** Message number to size, as LIST gives them. */
    private static Map<Integer, Long> sizes(List<String> list) {
        Map<Integer, Long> sizes = new HashMap<>();
        for (String line : list) {
            String[] parts = line.split(" ");
            sizes.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
        }
        return sizes;
    }

    private List<MessageInfo> inbox() throws Exception {
        List<MessageInfo> messages = new ArrayList<>();
        try (AccountStore account = server.store.open(alice); Folder inbox = account.open("INBOX")) {
            inbox.messages(UidSet.all(), Set.of(), messages::add);
        }
        return messages;
    }

    @Test
    void statListAndUidlDescribeTheMaildrop() throws Exception {
        try (Pop3Client client = session()) {
            List<String> list = client.multiline("LIST");
            Map<Integer, Long> sizes = sizes(list);
            assertThat(sizes).containsOnlyKeys(1, 2, 3);
            long total = sizes.values().stream().mapToLong(Long::longValue).sum();
            assertThat(client.command("STAT")).isEqualTo("+OK 3 " + total);
            assertThat(client.command("LIST 2")).isEqualTo("+OK 2 " + sizes.get(2));

            List<String> uidl = client.multiline("UIDL");
            assertThat(uidl).hasSize(3);
            assertThat(uidl).allMatch(l -> l.matches("[123] [0-9A-F]{16}"));
            assertThat(uidl.stream().map(l -> l.split(" ")[1]).distinct()).hasSize(3);
            assertThat(client.command("UIDL 2")).isEqualTo("+OK " + uidl.get(1));
            assertThat(client.command("NOOP")).isEqualTo("+OK");
        }
    }

    @Test
    void retrSendsTheWholeMessageAndItsSizeIsWhatListSays() throws Exception {
        try (Pop3Client client = session()) {
            long listed = sizes(client.multiline("LIST")).get(1);
            assertThat(client.command("RETR 1")).isEqualTo("+OK " + listed + " octets");
            List<String> lines = client.body();
            assertThat(lines).startsWith("Return-Path: <sender@example.org>", "Delivered-To: " + USER);
            assertThat(lines).containsSubsequence("Subject: first", "", "Hello", ".a line with a dot", "..two dots", "end");
            long octets = lines.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length + 2).sum();
            assertThat(octets).isEqualTo(listed);
        }
    }

    @Test
    void onTheWireLinesEndInCrlfAndDotsAreStuffedAndPipelinedCommandsAreAnsweredInOrder() throws Exception {
        try (SSLSocket socket = (SSLSocket) server.clientTls().createSocket(server.pop3s().getAddress(), server.pop3s().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("USER " + USER + "\r\nPASS " + Pop3TestServer.PASSWORD + "\r\nRETR 3\r\nTOP 1 2\r\nQUIT\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(received);
            String wire = received.toString(StandardCharsets.UTF_8);
            assertThat(wire).doesNotContainPattern("[^\r]\n");
            String[] responses = wire.split("\r\n(?=[+-](OK|ERR))");
            assertThat(responses).hasSize(6);
            assertThat(responses[0]).startsWith("+OK mail.example.test Cartero POP3 server ready");
            assertThat(responses[1]).isEqualTo("+OK send PASS");
            assertThat(responses[2]).startsWith("+OK maildrop locked and ready, 3 messages");
            assertThat(responses[3]).matches("(?s)\\+OK \\d+ octets\r\nReturn-Path: .*\r\nSubject: third\r\n.*\r\n\r\nlast\r\n\\.");
            assertThat(responses[4]).matches("(?s)\\+OK top of message follows\r\nReturn-Path: .*\r\nSubject: first\r\n.*"
                    + "\r\n\r\nHello\r\n\\.\\.a line with a dot\r\n\\.");
            assertThat(responses[5]).isEqualTo("+OK mail.example.test Cartero POP3 server signing off (0 messages deleted)\r\n");
        }
    }

    @Test
    void topSendsTheHeaderAndTheFirstLinesOfTheBody() throws Exception {
        try (Pop3Client client = session()) {
            List<String> top0 = client.multiline("TOP 2 0");
            assertThat(top0).endsWith("Subject: second", "Message-ID: <second@example.org>", "");
            List<String> top2 = client.multiline("TOP 2 2");
            assertThat(top2).endsWith("", "one", "two");
            assertThat(client.multiline("TOP 2 99")).endsWith("", "one", "two", "three", "four");
        }
    }

    @Test
    void deletedMessagesAreHiddenUntilRsetAndMessageNumbersStayFixed() throws Exception {
        try (Pop3Client client = session()) {
            String stat = client.command("STAT");
            Map<Integer, Long> sizes = sizes(client.multiline("LIST"));
            assertThat(client.command("DELE 2")).isEqualTo("+OK message 2 deleted");
            assertThat(client.command("DELE 2")).isEqualTo("-ERR message 2 already deleted");
            assertThat(client.command("RETR 2")).isEqualTo("-ERR message 2 already deleted");
            assertThat(client.command("TOP 2 0")).isEqualTo("-ERR message 2 already deleted");
            assertThat(client.command("LIST 2")).isEqualTo("-ERR message 2 already deleted");
            assertThat(client.command("UIDL 2")).isEqualTo("-ERR message 2 already deleted");
            assertThat(client.command("STAT")).isEqualTo("+OK 2 " + (sizes.get(1) + sizes.get(3)));
            assertThat(client.multiline("LIST")).containsExactly("1 " + sizes.get(1), "3 " + sizes.get(3));
            assertThat(client.multiline("UIDL")).extracting(l -> l.split(" ")[0]).containsExactly("1", "3");
            assertThat(client.command("RETR 3")).startsWith("+OK");
            client.body();
            assertThat(client.command("RETR 4")).isEqualTo("-ERR no such message, only 3 messages in maildrop");
            assertThat(client.command("RETR 0")).isEqualTo("-ERR no such message, only 3 messages in maildrop");
            assertThat(client.command("RSET")).isEqualTo("+OK maildrop has 3 messages (" + stat.split(" ")[2] + " octets)");
            assertThat(client.command("STAT")).isEqualTo(stat);
            assertThat(client.command("LIST 2")).isEqualTo("+OK 2 " + sizes.get(2));
        }
    }

    @Test
    void deletionsTakeEffectOnlyAtQuit() throws Exception {
        List<String> uidlBefore;
        try (Pop3Client client = session()) {
            uidlBefore = client.multiline("UIDL");
            client.command("DELE 1");
            client.command("DELE 3");
            assertThat(inbox()).hasSize(3); // still there while the session lasts
            assertThat(client.command("QUIT")).isEqualTo("+OK mail.example.test Cartero POP3 server signing off (2 messages deleted)");
            assertThat(client.closedByServer()).isTrue();
        }
        assertThat(inbox()).hasSize(1);
        try (Pop3Client client = session()) {
            assertThat(client.command("STAT")).startsWith("+OK 1 ");
            // The survivor is message 1 now, with the unique-id it always had.
            assertThat(client.multiline("UIDL")).containsExactly("1 " + uidlBefore.get(1).split(" ")[1]);
        }
    }

    @Test
    void aConnectionThatDropsDeletesNothing() throws Exception {
        try (Pop3Client client = session()) {
            client.command("DELE 1");
            client.command("DELE 2");
            client.command("DELE 3");
        } // closed without QUIT
        try (Pop3Client client = session()) {
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
        assertThat(inbox()).hasSize(3);
    }

    @Test
    void aConnectionResetByTheClientDeletesNothing() throws Exception {
        Pop3Client client = session();
        client.command("DELE 1");
        client.command("DELE 2");
        client.line.socket().setSoLinger(true, 0); // close() now sends a TCP reset, as a killed client's kernel may
        client.close();
        try (Pop3Client again = session()) {
            assertThat(again.command("STAT")).startsWith("+OK 3 ");
        }
    }

    @Test
    void uniqueIdsStayTheSameAcrossSessionsDeletionsAndNewMail() throws Exception {
        List<String> first;
        try (Pop3Client client = session()) {
            first = client.multiline("UIDL").stream().map(l -> l.split(" ")[1]).toList();
            client.command("DELE 2");
            client.command("QUIT");
        }
        server.deliver(alice, Pop3TestServer.message("fourth", "new"));
        try (Pop3Client client = session()) {
            List<String> second = client.multiline("UIDL").stream().map(l -> l.split(" ")[1]).toList();
            assertThat(second).hasSize(3);
            assertThat(second.subList(0, 2)).containsExactly(first.get(0), first.get(2));
            assertThat(second.get(2)).isNotIn(first);
        }
    }

    @Test
    void retrMarksMessagesSeenAndTopDoesNot() throws Exception {
        try (Pop3Client client = session()) {
            client.multiline("RETR 1");
            client.multiline("TOP 2 1");
            client.command("QUIT");
        }
        List<MessageInfo> messages = inbox();
        assertThat(messages.get(0).flags().has(Flags.SEEN)).isTrue();
        assertThat(messages.get(1).flags().has(Flags.SEEN)).isFalse();
        assertThat(messages.get(2).flags().has(Flags.SEEN)).isFalse();
    }

    @Test
    void aDroppedSessionStillMarksWhatItRetrievedSeenButDeletesNothing() throws Exception {
        try (Pop3Client client = session()) {
            client.multiline("RETR 3");
            client.command("DELE 3");
        }
        try (Pop3Client client = session()) {
            assertThat(client.command("STAT")).startsWith("+OK 3 ");
        }
        assertThat(inbox().get(2).flags().has(Flags.SEEN)).isTrue();
    }

    @Test
    void withExpireRetrievedRetrievedMessagesGoAtQuit() throws Exception {
        start("[pop3]\nexpire = \"retrieved\"\n");
        try (Pop3Client client = session()) {
            assertThat(client.multiline("CAPA")).contains("EXPIRE 0");
            client.multiline("RETR 2");
            client.multiline("TOP 3 0");
            assertThat(client.command("QUIT")).endsWith("(1 messages deleted)");
        }
        assertThat(inbox()).extracting(m -> m.uid()).containsExactly(1L, 3L);
    }

    @Test
    void aMessageRemovedByAnotherProgramDuringTheSessionIsReportedNotFatal() throws Exception {
        try (Pop3Client client = session()) {
            try (AccountStore account = server.store.open(alice); Folder inbox = account.open("INBOX")) {
                inbox.store(UidSet.of(2), FlagOperation.ADD, Flags.of(Flags.DELETED), -1);
                inbox.expunge(UidSet.of(2));
            }
            assertThat(client.command("RETR 2")).isEqualTo("-ERR message 2 was removed by another session");
            assertThat(client.multiline("LIST")).hasSize(3);
            client.command("DELE 2");
            assertThat(client.command("QUIT")).startsWith("+OK");
        }
        assertThat(inbox()).hasSize(2);
    }
}
