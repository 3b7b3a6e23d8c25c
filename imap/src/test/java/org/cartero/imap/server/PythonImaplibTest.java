package org.cartero.imap.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.cartero.core.config.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's imaplib, a client written by others, over STARTTLS and over IMAPS, trusting the
 * server's certificate: it logs in, creates a folder, appends, fetches, stores flags, searches,
 * copies and expunges. The script prints what it got; the test checks it.
 */
class PythonImaplibTest {

    private static final String SCRIPT = """
            import imaplib, ssl, sys
            host, starttls_port, imaps_port, user, password, cafile = sys.argv[1:7]
            context = ssl.create_default_context(cafile=cafile)
            context.check_hostname = False  # the certificate names the server's host name, not 127.0.0.1

            m = imaplib.IMAP4(host, int(starttls_port))
            print("capabilities", "LOGINDISABLED" in m.capabilities, "STARTTLS" in m.capabilities)
            print("starttls", m.starttls(ssl_context=context)[0])
            print("login", m.login(user, password)[0])
            print("create", m.create("Projects/2024")[0])
            for i in range(3):
                message = ("From: py@example.test\\r\\nSubject: message %d\\r\\n\\r\\nbody %d\\r\\n" % (i, i)).encode()
                print("append", m.append("INBOX", "(\\\\Flagged)" if i == 1 else None, None, message)[0])
            typ, data = m.select("INBOX")
            print("select", typ, data[0].decode())
            typ, data = m.fetch("2", "(FLAGS BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
            print("fetch", data[0][1].decode().strip())
            print("store", m.store("3", "+FLAGS", "(\\\\Seen)")[0])
            typ, data = m.search(None, "FLAGGED")
            print("search flagged", data[0].decode())
            typ, data = m.uid("SEARCH", None, "SEEN")
            print("uid search seen", data[0].decode())
            print("copy", m.copy("1:2", "Projects/2024")[0])
            print("status", m.status("Projects/2024", "(MESSAGES UIDNEXT)")[1][0].decode())
            m.store("1", "+FLAGS", "(\\\\Deleted)")
            typ, data = m.expunge()
            print("expunge", typ, data)
            print("logout", m.logout()[0])

            s = imaplib.IMAP4_SSL(host, int(imaps_port), ssl_context=context)
            print("imaps login", s.login(user, password)[0])
            typ, data = s.select("INBOX", readonly=True)
            print("imaps select", data[0].decode())
            typ, data = s.fetch("1:*", "(UID FLAGS)")
            print("imaps fetch", " | ".join(d.decode() for d in data))
            typ, data = s.list()
            print("imaps list", " | ".join(d.decode() for d in data))
            print("imaps logout", s.logout()[0])
            """;

    @TempDir
    static Path directory;

    @RegisterExtension
    static final TestImapServer server = TestImapServer.loopback("", ImapSettings.DEFAULT);

    @Test
    void imaplibWorksOverStartTlsAndImaps() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || onPath("python3"), "python3 is needed");
        Path script = Files.writeString(directory.resolve("client.py"), SCRIPT);
        Path ca = server.certificatePem(directory.resolve("server.pem"));
        String user = server.newUser();
        Process python = new ProcessBuilder("python3", script.toString(), "127.0.0.1",
                String.valueOf(server.address(Service.IMAP).getPort()), String.valueOf(server.address(Service.IMAPS).getPort()),
                user, TestImapServer.PASSWORD, ca.toString()).redirectErrorStream(true).start();
        String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as(output).isZero();
        assertThat(output.lines()).containsExactly(
                "capabilities True True",
                "starttls OK",
                "login OK",
                "create OK",
                "append OK",
                "append OK",
                "append OK",
                "select OK 3",
                "fetch Subject: message 1",
                "store OK",
                "search flagged 2",
                "uid search seen 3",
                "copy OK",
                "status Projects/2024 (MESSAGES 2 UIDNEXT 3)",
                "expunge OK [b'1']",
                "logout BYE",
                "imaps login OK",
                "imaps select 2",
                "imaps fetch 1 (UID 2 FLAGS (\\Flagged)) | 2 (UID 3 FLAGS (\\Seen))",
                "imaps list (\\HasNoChildren) \"/\" INBOX | (\\HasChildren) \"/\" Projects | (\\HasNoChildren) \"/\" Projects/2024",
                "imaps logout BYE");
    }

    private static boolean onPath(String program) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) return true;
        }
        return false;
    }
}
