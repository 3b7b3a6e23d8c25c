package org.cartero.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cartero.core.auth.Passwords;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.Resolution;
import org.cartero.core.directory.TestDirectory;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cartero domain|user|alias} run through {@link Main#run} against a temporary configuration. */
class AdminCommandsTest {

    @TempDir
    Path dir;

    private Path config;
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;
    private final InputStream originalIn = System.in;
    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    @BeforeEach
    void setUp() throws Exception {
        config = TestDirectory.writeConfig(dir);
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
        System.setIn(originalIn);
    }

    /** Runs cartero with --config and the given arguments and standard input; returns the exit code. */
    private int carteroWithInput(String stdin, String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        String[] all = new String[args.length + 2];
        all[0] = "--config";
        all[1] = config.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        try {
            return Main.run(all);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    private int cartero(String... args) {
        return carteroWithInput("", args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Directory openDirectory() throws Exception {
        return Directory.open(Config.from(ConfigFile.load(config)));
    }

    @Test
    void domainsAreAddedListedAndRemoved() {
        assertThat(cartero("domain", "add", "Example.TEST")).isZero();
        assertThat(out()).isEqualTo("added domain example.test\n");

        assertThat(cartero("domain", "list")).isZero();
        assertThat(out()).containsSubsequence("example.test", "virtual  0 users, 0 aliases", "mail.example.test", "local",
                "localhost", "local", "local.test", "local");

        assertThat(cartero("domain", "add", "example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: domain example.test already exists\n");

        assertThat(cartero("domain", "remove", "example.test")).isZero();
        assertThat(cartero("domain", "remove", "example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: no virtual domain example.test\n");
    }

    @Test
    void aUserAddedWithPasswordStdinCanLogIn() throws Exception {
        cartero("domain", "add", "example.test");

        assertThat(carteroWithInput("s3cret pass\n", "user", "add", "alice@example.test", "--password-stdin", "--quota", "2G")).isZero();
        assertThat(out()).isEqualTo("added user alice@example.test with quota 2G\n");

        try (Directory directory = openDirectory()) {
            VirtualAccount alice = (VirtualAccount) directory.account("alice@example.test").orElseThrow();
            assertThat(alice.quotaBytes()).isEqualTo(2L << 30);
            String hash = directory.passwordHash(alice).orElseThrow();
            assertThat(hash).startsWith("$argon2id$");
            assertThat(Passwords.verify("s3cret pass", hash)).isTrue();
        }
        assertThat(cartero("user", "list")).isZero();
        assertThat(out()).matches("alice@example\\.test +quota 2G\n");
    }

    @Test
    void passwdChangesThePassword() throws Exception {
        cartero("domain", "add", "example.test");
        carteroWithInput("old password\n", "user", "add", "alice@example.test", "--password-stdin");

        assertThat(carteroWithInput("new password\r\n", "user", "passwd", "ALICE@example.test", "--password-stdin")).isZero();
        assertThat(out()).isEqualTo("changed the password of alice@example.test\n");
        try (Directory directory = openDirectory()) {
            String hash = directory.passwordHash((VirtualAccount) directory.account("alice@example.test").orElseThrow())
                    .orElseThrow();
            assertThat(Passwords.verify("new password", hash)).isTrue();
        }

        assertThat(carteroWithInput("x\n", "user", "passwd", "bob@example.test", "--password-stdin")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: no user bob@example.test\n");
        assertThat(carteroWithInput("x\n", "user", "passwd", "alice@localhost", "--password-stdin")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: alice@localhost is a local user: change the password with passwd(1)\n");
    }

    @Test
    void aDovecotHashIsImportedAsIs() throws Exception {
        String dovecot = "{SHA512-CRYPT}$6$s7mlqGk/Nou.49mg$yWJmB0WOlx5LmQWuXy3rbJ.r3s1fEQMkNCoiJHc4cANgYgZoOv.DbeIm1XN7VX1fjnS4ot.79tsUCL5AhAD5B.";
        cartero("domain", "add", "example.test");

        assertThat(carteroWithInput(dovecot + "\n", "user", "add", "carol@example.test", "--hash-stdin")).isZero();
        try (Directory directory = openDirectory()) {
            assertThat(directory.passwordHash((VirtualAccount) directory.account("carol@example.test").orElseThrow()))
                    .contains(dovecot);
        }

        assertThat(carteroWithInput("{PLAIN}secret\n", "user", "add", "dave@example.test", "--hash-stdin")).isEqualTo(1);
        assertThat(err()).startsWith("cartero: not a password hash Cartero can check");
    }

    @Test
    void userErrorsExitWithOne() {
        assertThat(carteroWithInput("pw\n", "user", "add", "alice@example.test", "--password-stdin")).isEqualTo(1);
        assertThat(err()).isEqualTo(
                "cartero: no virtual domain example.test; add it first with: cartero domain add example.test\n");

        cartero("domain", "add", "example.test");
        assertThat(carteroWithInput("", "user", "add", "alice@example.test", "--password-stdin")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: no password on standard input\n");

        assertThat(cartero("user", "add", "alice@example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: no terminal to ask for the password on; give it with --password-stdin\n");

        carteroWithInput("pw\n", "user", "add", "alice@example.test", "--password-stdin");
        assertThat(carteroWithInput("pw\n", "user", "add", "Alice@example.test", "--password-stdin")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: user alice@example.test already exists\n");

        assertThat(cartero("domain", "remove", "example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: domain example.test still has 1 user and 0 aliases; remove them first\n");

        assertThat(cartero("user", "remove", "alice@example.test")).isZero();
        assertThat(cartero("user", "remove", "alice@example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: no user alice@example.test\n");
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(cartero("domain")).isEqualTo(2);
        assertThat(cartero("user", "add", "not-an-address", "--password-stdin")).isEqualTo(2);
        assertThat(err()).contains("not an address");
        assertThat(cartero("user", "add", "alice@example.test", "--quota", "lots")).isEqualTo(2);
        assertThat(err()).contains("expected a size such as 500M or 2G");
        assertThat(cartero("user", "add", "alice@example.test", "--password-stdin", "--hash-stdin")).isEqualTo(2);
        // There is no way to put a password on the command line.
        assertThat(cartero("user", "add", "alice@example.test", "--password", "secret")).isEqualTo(2);
        assertThat(cartero("alias", "add", "info@example.test")).isEqualTo(2);
        assertThat(cartero("alias", "add", "info@@example.test", "alice@example.test")).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        for (String[] command : new String[][] {
                {"domain", "--help"}, {"domain", "add", "--help"}, {"domain", "remove", "--help"}, {"domain", "list", "--help"},
                {"user", "--help"}, {"user", "add", "--help"}, {"user", "passwd", "--help"}, {"user", "remove", "--help"},
                {"user", "list", "--help"}, {"alias", "--help"}, {"alias", "add", "--help"}, {"alias", "remove", "--help"},
                {"alias", "list", "--help"}}) {
            assertThat(cartero(command)).as(String.join(" ", command)).isZero();
            assertThat(out()).as(String.join(" ", command)).startsWith("Usage: cartero " + command[0]);
        }
        cartero("user", "add", "--help");
        assertThat(out()).contains("--password-stdin", "--hash-stdin", "--quota=SIZE");
    }

    @Test
    void aliasesAreAddedListedAndRemoved() {
        cartero("domain", "add", "example.test");

        assertThat(cartero("alias", "add", "info@example.test", "alice@example.test", "bob@elsewhere.test")).isZero();
        assertThat(out()).isEqualTo("info@example.test -> alice@example.test, bob@elsewhere.test\n");
        assertThat(cartero("alias", "add", "info@example.test", "bob@elsewhere.test")).isZero();
        assertThat(out()).isEqualTo("info@example.test already leads to bob@elsewhere.test\n");
        assertThat(cartero("alias", "add", "@example.test", "alice@example.test")).isZero();

        assertThat(cartero("alias", "list")).isZero();
        assertThat(out()).isEqualTo("@example.test -> alice@example.test\n"
                + "info@example.test -> alice@example.test, bob@elsewhere.test\n");

        assertThat(cartero("alias", "remove", "info@example.test", "bob@elsewhere.test")).isZero();
        assertThat(out()).isEqualTo("removed bob@elsewhere.test from info@example.test\n");
        assertThat(cartero("alias", "remove", "@example.test")).isZero();
        assertThat(out()).isEqualTo("removed alias @example.test\n");
        assertThat(cartero("alias", "list", "example.test")).isZero();
        assertThat(out()).isEqualTo("info@example.test -> alice@example.test\n");

        assertThat(cartero("alias", "add", "info@elsewhere.test", "alice@example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: elsewhere.test is neither a local nor a virtual domain here\n");
        assertThat(cartero("alias", "remove", "nobody@example.test")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: no alias nobody@example.test\n");
    }

    @Test
    void aRunningServersDirectorySeesCommandsAtOnce() throws Exception {
        try (Directory server = openDirectory()) {
            MailAddress info = MailAddress.parse("info@example.test");
            assertThat(server.resolve(info)).isEqualTo(new Resolution.NotOurs());

            cartero("domain", "add", "example.test");
            carteroWithInput("pw\n", "user", "add", "alice@example.test", "--password-stdin");
            cartero("alias", "add", "info@example.test", "alice@example.test");

            assertThat(server.resolve(info)).isInstanceOf(Resolution.Deliver.class);
            assertThat(server.account("alice@example.test")).isPresent();

            cartero("user", "remove", "alice@example.test");
            assertThat(server.account("alice@example.test")).isEmpty();
        }
    }

    @Test
    void aBrokenConfigurationIsReportedWithItsLine() throws Exception {
        Files.writeString(config, "hostname = \"mail.example.test\"\n[local]\ndomains = 42\n");

        assertThat(cartero("domain", "list")).isEqualTo(1);
        assertThat(err()).isEqualTo("cartero: " + config + ":3: local.domains: expected a list of strings, got 42\n");
    }
}
