package org.cartero.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The {@code cartero} program run as a child process, as a user runs it: its output is read
 * line by line, and it is stopped with a real SIGTERM.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final Thread reader;

    private ServerProcess(Process process) {
        this.process = process;
        this.reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) lines.add(line);
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /** Starts {@code cartero ARGS...} in {@code workDir} with this JVM's class path. */
    static ServerProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    /** Starts {@code cartero ARGS...} with JVM options such as "-Xmx32m". */
    static ServerProcess start(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        return new ServerProcess(builder(workDir, "cartero", jvmOptions, args).start());
    }

    /**
     * The command line of {@code cartero ARGS...} run under the name {@code invokedAs}, as bin/cartero
     * passes it (a /usr/sbin/sendmail symlink runs it as "sendmail").
     */
    static ProcessBuilder builder(Path workDir, String invokedAs, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dcartero.invoked-as=" + invokedAs,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().remove("CARTERO_CONFIG");
        return builder;
    }

    /** Waits for the process to end by itself and returns its exit code. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + output());
        }
        return process.exitValue();
    }

    /** Kills the process with SIGKILL, as a crash would, and waits for it to be gone. */
    void kill() throws InterruptedException {
        process.toHandle().destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("still alive after SIGKILL");
    }

    /** Waits for a line of output containing {@code text}; returns it. */
    String awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String line : seen) if (line.contains(text)) return line;
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                if (!process.isAlive() && lines.isEmpty()) break;
                continue;
            }
            seen.add(line);
            if (line.contains(text)) return line;
        }
        throw new AssertionError("no line containing \"" + text + "\" within " + timeout + "; output so far:\n"
                + String.join("\n", seen));
    }

    /** Everything printed so far (all of it, once the process has ended). */
    String output() throws InterruptedException {
        if (!process.isAlive()) reader.join(Duration.ofSeconds(10));
        lines.drainTo(seen);
        return String.join("\n", seen);
    }

    /** Sends SIGTERM and returns the exit code. */
    int terminate(Duration timeout) throws InterruptedException {
        // SIGTERM through the handle: Process.destroy() would also close our end of its output.
        process.toHandle().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("did not exit within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
