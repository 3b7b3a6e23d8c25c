package org.cartero.bench.imap;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A lean IMAP client for load: sends a tagged command, reads until its tagged response, counts
 * the octets of literals without keeping them (unless asked), and fails on anything but OK.
 */
final class BenchClient implements Closeable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int tag;
    /** Octets of literal data received, for throughput. */
    long literalOctets;

    BenchClient(InetSocketAddress server) throws IOException {
        socket = new Socket();
        socket.connect(server, 30_000);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(600_000);
        in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        String greeting = line();
        if (greeting == null || !greeting.startsWith("* OK")) throw new IOException("no greeting: " + greeting);
    }

    static BenchClient login(InetSocketAddress server, String user, String password) throws IOException {
        BenchClient client = new BenchClient(server);
        client.ok("LOGIN \"" + user + "\" \"" + password + "\"");
        return client;
    }

    /** Runs a command; returns the untagged lines (without literal data). */
    List<String> ok(String command) throws IOException {
        String t = send(command);
        return untilTagged(t);
    }

    String send(String command) throws IOException {
        String t = "b" + ++tag;
        out.write((t + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        return t;
    }

    /** Sends raw bytes as they are (literals). */
    void write(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void flush() throws IOException {
        out.flush();
    }

    List<String> untilTagged(String t) throws IOException {
        List<String> untagged = new ArrayList<>();
        while (true) {
            String line = response();
            if (line == null) throw new IOException("connection closed before " + t + " was answered");
            if (line.startsWith(t + " ")) {
                if (!line.startsWith(t + " OK")) throw new IOException("command failed: " + line);
                return untagged;
            }
            untagged.add(line);
        }
    }

    /** Reads lines until one starts with {@code prefix} (a continuation "+", an EXISTS...). */
    String until(String contains) throws IOException {
        while (true) {
            String line = response();
            if (line == null) throw new IOException("connection closed waiting for " + contains);
            if (line.contains(contains)) return line;
        }
    }

    /** One response line; literal data is skipped and counted. */
    String response() throws IOException {
        String line = line();
        while (line != null && line.endsWith("}")) {
            int open = line.lastIndexOf('{');
            if (open < 0) break;
            long size;
            try {
                size = Long.parseLong(line.substring(open + 1, line.length() - 1).replace("+", ""));
            } catch (NumberFormatException e) {
                break;
            }
            in.skipNBytes(size);
            literalOctets += size;
            String rest = line();
            if (rest == null) return line;
            line = line.substring(0, open) + "..." + rest;
        }
        return line;
    }

    private String line() throws IOException {
        StringBuilder line = new StringBuilder(128);
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.isEmpty() ? null : line.toString();
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
