package org.cartero.bench.imap;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** An IMAP server run as its own process(es) for the benchmark: Cartero or Dovecot. */
abstract class ServerProcess implements AutoCloseable {

    static final String PASSWORD = "bench-password";
    static final String DOMAIN = "example.test";

    protected final Path directory;
    protected final int port;
    protected Process process;

    ServerProcess(Path directory) throws IOException {
        this.directory = Files.createDirectories(directory);
        this.port = freePort();
    }

    abstract String name();

    /** The login of a benchmark user. */
    abstract String login(String user);

    /** Makes the users before the first start. */
    abstract void addUsers(List<String> users) throws Exception;

    abstract void start() throws Exception;

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Stops the server and every process it started. */
    void stop() throws InterruptedException {
        if (process == null) return;
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle child : children) child.destroyForcibly();
        process = null;
    }

    void restart() throws Exception {
        stop();
        start();
    }

    /**
     * The proportional set size of the server's processes in KiB (/proc/PID/smaps_rollup): what
     * the server costs the machine, shared pages divided among their users.
     */
    long pssKiB() throws IOException {
        long total = 0;
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        all.addAll(process.descendants().toList());
        for (ProcessHandle handle : all) {
            Path rollup = Path.of("/proc", Long.toString(handle.pid()), "smaps_rollup");
            try (Stream<String> lines = Files.lines(rollup)) {
                total += lines.filter(line -> line.startsWith("Pss:")).mapToLong(line -> Long.parseLong(line.replaceAll("\\D", ""))).sum();
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        return total;
    }

    /** Waits until a login works, or fails with the log's end. */
    protected void awaitLogin(String user, Duration timeout, Path log) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException(name() + " exited: " + tail(log));
            try (BenchClient client = BenchClient.login(address(), login(user), PASSWORD)) {
                client.ok("LOGOUT");
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IOException(name() + " did not accept a login within " + timeout + ": " + last + "\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
