package org.cartero.imap.imaptest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner over implicit TLS (IMAPS): Dovecot with a self-signed certificate the runner
 * trusts. Runs only where dovecot and openssl are installed.
 */
class ImaptestTlsTest {
    @AutoClose
    private static DovecotServer dovecot;

    @BeforeAll
    static void startDovecot(@TempDir Path directory) throws Exception {
        dovecot = DovecotServer.startForTests(directory, true);
    }

    @Test
    void aGroupWithLiteralsOnTwoConnectionsPassesOverTls(@TempDir Path directory) throws Exception {
        Files.writeString(directory.resolve("default.mbox"), "From user@domain  Fri Feb 22 17:06:23 2008\nSubject: one\n\nbody1\n");
        Path script = Files.writeString(directory.resolve("group"), """
                connections: 2

                1 ok append $mailbox {{{
                Subject: over tls

                hello
                }}}
                * 2 exists

                2 ok noop
                * 2 exists

                2 ok fetch 2 (body.peek[text] body.peek[header.fields (subject)])
                * 2 fetch (body[text] {{{
                hello
                }}} body[header.fields (subject)] {{{
                Subject: over tls


                }}})
                """);

        assertThat(dovecot.implicitTls()).isTrue();
        assertThat(ScriptExecutor.run(ScriptParser.parse(script), dovecot)).isInstanceOf(GroupOutcome.Passed.class);
    }
}
