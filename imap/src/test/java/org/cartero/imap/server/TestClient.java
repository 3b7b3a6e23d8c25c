package org.cartero.imap.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A raw IMAP client for the session tests: sends tagged commands and collects what the server
 * answers until the tagged response, literals included in the line they belong to (as
 * "{n}\r\n" followed by the bytes). Every read gives up after {@link #READ_GUARD}.
 */
final class TestClient implements Closeable {

    static final Duration READ_GUARD = Duration.ofSeconds(20);

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private int tags;

    private TestClient(Socket socket) throws IOException {
        use(socket);
    }

    static TestClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket(address.getAddress(), address.getPort());
        socket.setTcpNoDelay(true);
        return new TestClient(socket);
    }

    static TestClient connectTls(InetSocketAddress address, SSLSocketFactory tls) throws IOException {
        TestClient client = connect(address);
        client.startTls(tls);
        return client;
    }

    /** Connects, reads the greeting and logs in with LOGIN. */
    static TestClient login(InetSocketAddress address, String user, String password) throws IOException {
        TestClient client = connect(address);
        client.readLine();
        client.ok("LOGIN " + quote(user) + " " + quote(password));
        return client;
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Sends a command and returns every line up to and including the tagged response. */
    List<String> command(String command) throws IOException {
        String tag = "t" + ++tags;
        send(tag + " " + command);
        return responses(tag);
    }

    /** Like {@link #command} but fails unless the tagged response is OK. */
    List<String> ok(String command) throws IOException {
        List<String> lines = command(command);
        String last = lines.getLast();
        if (!last.matches("t\\d+ OK.*")) throw new AssertionError("expected OK for " + command + ", got " + lines);
        return lines;
    }

    /** The tag the next {@link #command} will use. */
    String nextTag() {
        return "t" + (tags + 1);
    }

    /** Lines until the one tagged {@code tag}. */
    List<String> responses(String tag) throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readResponse();
            if (line == null) throw new IOException("the server closed the connection; so far: " + lines);
            lines.add(line);
            if (line.startsWith(tag + " ")) return lines;
        }
    }

    /** Reads responses until one matches; fails after {@code timeout}. */
    String await(Predicate<String> wanted, Duration timeout) throws IOException {
        int previous = socket.getSoTimeout();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) throw new AssertionError("nothing matching within " + timeout);
                socket.setSoTimeout((int) left);
                String line;
                try {
                    line = readResponse();
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("nothing matching within " + timeout);
                }
                if (line == null) throw new IOException("the server closed the connection");
                if (wanted.test(line)) return line;
            }
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    void send(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** One response line; a literal it ends in is read and appended with its bytes. */
    String readResponse() throws IOException {
        String line = readLine();
        if (line == null) return null;
        StringBuilder response = new StringBuilder(line);
        while (response.toString().matches("(?s).*~?\\{\\d+}$")) {
            String text = response.toString();
            int open = text.lastIndexOf('{');
            int size = Integer.parseInt(text.substring(open + 1, text.length() - 1));
            response.append("\r\n").append(new String(in.readNBytes(size), StandardCharsets.ISO_8859_1));
            String rest = readLine();
            if (rest == null) break;
            response.append(rest);
        }
        return response.toString();
    }

    /** A line without its CRLF; null at the end of the stream. */
    String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            line.write(b);
        }
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    void startTls(SSLSocketFactory tls) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        SSLSocket secured = (SSLSocket) tls.createSocket(socket, remote.getHostString(), remote.getPort(), true);
        secured.setUseClientMode(true);
        secured.startHandshake();
        use(secured);
    }

    /** Reads and writes through other streams from now on (COMPRESS). */
    void replaceStreams(InputStream input, OutputStream output) {
        in = input;
        out = output;
    }

    InputStream input() {
        return in;
    }

    OutputStream output() {
        return out;
    }

    Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void use(Socket replacement) throws IOException {
        socket = replacement;
        socket.setSoTimeout((int) READ_GUARD.toMillis());
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }
}
