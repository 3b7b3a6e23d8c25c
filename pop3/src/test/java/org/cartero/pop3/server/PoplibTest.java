package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cartero.core.directory.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python's poplib as the client, over STLS on the pop3 port and over implicit TLS on pop3s. */
class PoplibTest {
    private static final String USER = "carol@example.test";

    @TempDir
    Path dir;
    private Pop3TestServer server;
    private Path script;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Programs.installed("python3"), "python3 is needed");
        server = Pop3TestServer.start(dir.resolve("server"));
        Account carol = server.addUser(USER);
        server.deliver(carol, Pop3TestServer.message("hello", "First line\n.starts with a dot\n"));
        server.deliver(carol, Pop3TestServer.message("again", "Second message\n"));
        script = Path.of(PoplibTest.class.getResource("poplib_session.py").toURI());
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
    }

    private Map<String, List<String>> session(String mode, int delete) throws Exception {
        int port = mode.equals("stls") ? server.pop3().getPort() : server.pop3s().getPort();
        Programs.Run run = Programs.run(dir, "python3", script.toString(), "127.0.0.1", String.valueOf(port),
                server.certificate().toString(), mode, USER, Pop3TestServer.PASSWORD, String.valueOf(delete));
        assertThat(run.exitCode()).as(run.output()).isZero();
        return run.values();
    }

    @Test
    void overStlsPoplibReadsTheMaildropAndDeletesAtQuit() throws Exception {
        Map<String, List<String>> seen = session("stls", 1);
        assertThat(seen.get("capa_before_tls").getFirst().split(" ")).contains("STLS").doesNotContain("USER");
        assertThat(seen.get("capa").getFirst().split(" ")).contains("USER", "SASL", "UIDL", "TOP").doesNotContain("STLS");
        assertThat(seen.get("stat").getFirst()).startsWith("2 ");
        assertThat(seen.get("retr1.line")).containsSubsequence("Subject: hello", "", "First line", ".starts with a dot");
        assertThat(seen.get("retr2.line")).contains("Subject: again", "Second message");
        // The octets poplib counted (after undoing the byte-stuffing) are what LIST announced.
        assertThat(seen.get("list")).containsExactly("1 " + seen.get("retr1.octets").getFirst(), "2 " + seen.get("retr2.octets").getFirst());
        assertThat(seen.get("top1.line")).endsWith("Subject: hello", "Message-ID: <hello@example.org>", "");
        assertThat(seen.get("dele").getFirst()).isEqualTo("+OK message 1 deleted");
        assertThat(seen.get("quit").getFirst()).endsWith("(1 messages deleted)");

        Map<String, List<String>> after = session("ssl", 0);
        assertThat(after.get("stat").getFirst()).startsWith("1 ");
        assertThat(after.get("uidl")).containsExactly("1 " + seen.get("uidl").get(1).split(" ")[1]);
    }

    @Test
    void overImplicitTlsPoplibSeesTheSameMaildrop() throws Exception {
        Map<String, List<String>> seen = session("ssl", 0);
        assertThat(seen.get("capa").getFirst().split(" ")).contains("USER", "RESP-CODES", "PIPELINING").doesNotContain("STLS");
        assertThat(seen.get("uidl")).hasSize(2);
        assertThat(seen.get("retr1").getFirst()).isEqualTo("+OK " + seen.get("retr1.octets").getFirst() + " octets");
        assertThat(session("ssl", 0).get("uidl")).isEqualTo(seen.get("uidl"));
    }
}
