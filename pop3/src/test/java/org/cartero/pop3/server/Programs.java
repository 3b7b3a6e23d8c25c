package org.cartero.pop3.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the real clients (Python, fetchmail, getmail) as a user would, with HOME in the test's directory. */
final class Programs {
    private Programs() {}

    /** What a program printed (standard output and error together) and how it exited. */
    record Run(int exitCode, String output) {
        /** The values of its "key:value" lines, by key, in order. */
        Map<String, List<String>> values() {
            Map<String, List<String>> values = new LinkedHashMap<>();
            for (String line : output.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) values.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>()).add(line.substring(colon + 1));
            }
            return values;
        }
    }

    static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) return true;
        }
        return false;
    }

    /** The contents of the files a client delivered into {@code dir} (one per message), by file name. */
    static List<String> filesIn(Path dir) throws IOException {
        List<String> contents = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) contents.add(Files.readString(file, StandardCharsets.UTF_8));
        }
        return contents;
    }

    static Run run(Path home, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
