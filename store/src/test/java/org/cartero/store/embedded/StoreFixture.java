package org.cartero.store.embedded;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.core.mail.MailAddress;
import org.cartero.store.Folder;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;

/** A store over temporary directories, with accounts and helpers the store tests share. */
class StoreFixture implements AutoCloseable {
    final Path root;
    final Path dataDir;
    final Path spoolDir;
    final Path home;
    final EmbeddedMailStore store;

    StoreFixture(Path root) throws IOException {
        this(root, Duration.ofSeconds(5));
    }

    StoreFixture(Path root, Duration lockTimeout) throws IOException {
        this.root = root;
        this.dataDir = Files.createDirectories(root.resolve("data"));
        this.spoolDir = Files.createDirectories(root.resolve("spool"));
        this.home = Files.createDirectories(root.resolve("home/bob"));
        this.store = new EmbeddedMailStore(settings(root, lockTimeout));
    }

    static EmbeddedMailStore.Settings settings(Path root, Duration lockTimeout) {
        return new EmbeddedMailStore.Settings(root.resolve("data"), root.resolve("spool"), "Maildir", "test.example", lockTimeout);
    }

    static VirtualAccount virtual(String address, long quota) {
        return new VirtualAccount(MailAddress.parse(address), quota);
    }

    VirtualAccount alice() {
        return virtual("alice@example.test", 0);
    }

    LocalAccount bob() {
        return bob(root, 0);
    }

    LocalAccount bob(long quota) {
        return bob(root, quota);
    }

    /** The local user "bob" with home ROOT/home/bob, owned by the test's own user. */
    static LocalAccount bob(Path root, long quota) {
        return new LocalAccount("bob", uid(), gid(), root.resolve("home/bob"), MailAddress.parse("bob@localhost"), quota);
    }

    /** The uid and gid of the test process's user (files are chowned to them). */
    static int uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static int gid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    Path maildir(VirtualAccount a) {
        return store.virtualRoot(a);
    }

    static InputStream message(String subject, String body) {
        return stream("From: sender@example.org\r\nTo: alice@example.test\r\nSubject: " + subject
                + "\r\nMessage-ID: <" + subject.replace(' ', '.') + "@example.org>\r\n\r\n" + body);
    }

    static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    static String read(MessageContent c) throws IOException {
        try (InputStream in = c.open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<MessageInfo> all(Folder f) throws IOException {
        List<MessageInfo> out = new ArrayList<>();
        f.messages(UidSet.all(), java.util.Set.of(Folder.Include.ENVELOPE), out::add);
        return out;
    }

    /** Runs a program and returns its standard output; fails on a non-zero exit. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
        return text;
    }

    /** Starts a JVM running {@link DeliveryLoop} on this fixture's directories, with the test classpath. */
    Process startDeliveryLoop(String kind, long first, long last, int bodyBytes, String shellPrefix) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        Path sqliteTmp = Files.createDirectories(root.resolve("sqlite-native")); // where sqlite-jdbc unpacks its library
        String javaCmd = String.join(" ", java, "-Xmx256m", "-Dorg.sqlite.tmpdir='" + sqliteTmp + "'",
                "-cp", "'" + System.getProperty("java.class.path") + "'",
                "--enable-native-access=ALL-UNNAMED", DeliveryLoop.class.getName(), "'" + root + "'", kind,
                String.valueOf(first), String.valueOf(last), String.valueOf(bodyBytes));
        cmd.add("sh");
        cmd.add("-c");
        cmd.add(shellPrefix + "exec " + javaCmd);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(root.resolve("child-stderr.log").toFile()));
        return pb.start();
    }

    @Override
    public void close() {
        store.close();
    }
}
