package org.cartero.smtp.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Postfix's smtp-sink (Debian package postfix) as a remote SMTP server: it takes mail and writes
 * each message to a file of its own ({@code -d}), or refuses chosen commands with 4xx ({@code -r})
 * or 5xx ({@code -f}). It listens where it is told; on port 0 the port is read from /proc.
 */
public final class SmtpSink implements AutoCloseable {

    public static final Path PROGRAM = Path.of("/usr/sbin/smtp-sink");

    /** A message as smtp-sink wrote it: its X-Mail-Args and X-Rcpt-Args lines, and the content with LF line ends. */
    public record Dump(String mailArgs, List<String> rcptArgs, String content) {}

    private final Process process;
    private final Path dumps;
    private final int port;

    private SmtpSink(Process process, Path dumps, int port) {
        this.process = process;
        this.dumps = dumps;
        this.port = port;
    }

    /**
     * Starts smtp-sink on {@code address} ("127.0.0.1:0", "127.0.0.2:2525") with these extra options.
     *
     * @param dir a directory for the dump files, made here, in a directory of the test's own
     */
    public static SmtpSink start(Path dir, String address, String... options) throws IOException, InterruptedException {
        Path dumps = Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(PROGRAM.toString()));
        if (isRoot()) {
            // smtp-sink refuses to run as root without a user to switch to, which must be able to write
            // the dumps, and to reach them through the test's private temporary directory.
            Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.setPosixFilePermissions(dumps.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
            command.addAll(List.of("-u", "nobody"));
        }
        command.addAll(List.of("-d", dumps + "/%M."));
        command.addAll(List.of(options));
        command.addAll(List.of(address, "16"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dumps.resolveSibling(dumps.getFileName() + ".log").toFile()).start();
        try {
            return new SmtpSink(process, dumps, listeningPort(process));
        } catch (IOException | RuntimeException e) {
            process.destroy();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /**
     * The messages written so far, oldest first. smtp-sink opens a file at MAIL and removes it when
     * the transaction comes to nothing: a file without the dump's header lines is such a one.
     */
    public List<Dump> dumps() throws IOException {
        record Found(FileTime modified, String text) {}
        List<Found> found = new ArrayList<>();
        try (Stream<Path> files = Files.list(dumps)) {
            for (Path file : files.toList()) {
                try {
                    found.add(new Found(Files.getLastModifiedTime(file), Files.readString(file, StandardCharsets.UTF_8)));
                } catch (NoSuchFileException e) {
                    // removed meanwhile
                }
            }
        }
        return found.stream().sorted(Comparator.comparing(Found::modified)).map(Found::text)
                .filter(text -> text.contains("\nReceived: ")).map(SmtpSink::parse).toList();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * The dump format (smtp-sink(1)): X-Client-Addr, X-Client-Proto, X-Helo-Args, X-Mail-Args,
     * X-Rcpt-Args lines, a three-line Received header, the message, an empty line.
     */
    private static Dump parse(String dump) {
        String mailArgs = null;
        List<String> rcptArgs = new ArrayList<>();
        int at = 0;
        while (true) {
            int end = dump.indexOf('\n', at);
            String line = dump.substring(at, end);
            at = end + 1;
            if (line.startsWith("X-Mail-Args: ")) mailArgs = line.substring(13);
            if (line.startsWith("X-Rcpt-Args: ")) rcptArgs.add(line.substring(13));
            if (line.startsWith("Received: ")) break;
        }
        for (int i = 0; i < 2; i++) at = dump.indexOf('\n', at) + 1;
        String content = dump.substring(at);
        return new Dump(mailArgs, rcptArgs, content.endsWith("\n\n") ? content.substring(0, content.length() - 1) : content);
    }

    /** Finds the listening TCP socket among the process's open files, in /proc/net/tcp and tcp6. */
    private static int listeningPort(Process process) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) throw new IOException("smtp-sink exited with status " + process.exitValue());
            Optional<Integer> port = findListeningPort(process.pid());
            if (port.isPresent()) return port.get();
            Thread.sleep(20);
        }
        throw new IOException("smtp-sink did not start listening");
    }

    private static Optional<Integer> findListeningPort(long pid) throws IOException {
        List<String> inodes = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) inodes.add(target.substring(8, target.length() - 1));
                } catch (IOException e) {
                    // the descriptor closed meanwhile
                }
            }
        }
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                // fields: sl, local_address, rem_address, st (0A = LISTEN), ..., inode at index 9
                if (fields[3].equals("0A") && inodes.contains(fields[9])) {
                    String local = fields[1];
                    return Optional.of(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16));
                }
            }
        }
        return Optional.empty();
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }
}
