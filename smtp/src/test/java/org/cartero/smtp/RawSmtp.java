package org.cartero.smtp;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLSocketFactory;
import org.cartero.core.testing.LineClient;

/** An SMTP client that sends exactly what a test says and reads replies whole, for protocol tests. */
public final class RawSmtp implements Closeable {
    private final LineClient client;

    private RawSmtp(LineClient client) {
        this.client = client;
    }

    /** Connects and reads the greeting. */
    public static RawSmtp connect(InetSocketAddress server) throws IOException {
        RawSmtp smtp = new RawSmtp(LineClient.connect(server));
        smtp.expect("220");
        return smtp;
    }

    public static RawSmtp connectTls(InetSocketAddress server, SSLSocketFactory tls) throws IOException {
        RawSmtp smtp = new RawSmtp(LineClient.connectTls(server, tls));
        smtp.expect("220");
        return smtp;
    }

    /** The next reply, its lines joined with "\n"; null when the server closed the connection. */
    public String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = client.readLine();
            if (line == null) return lines.isEmpty() ? null : String.join("\n", lines);
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') return String.join("\n", lines);
        }
    }

    /** Sends a command line and returns the reply. */
    public String send(String line) throws IOException {
        client.writeLine(line);
        return reply();
    }

    /** Sends a command and fails unless the reply starts with {@code prefix}; returns the reply. */
    public String expect(String line, String prefix) throws IOException {
        return check(send(line), prefix, line);
    }

    private String expect(String prefix) throws IOException {
        return check(reply(), prefix, "(greeting)");
    }

    private static String check(String reply, String prefix, String command) {
        if (reply == null || !reply.startsWith(prefix)) {
            throw new AssertionError("to " + command + " expected " + prefix + "..., got " + reply);
        }
        return reply;
    }

    /** Sends raw octets in one write. */
    public void write(String octets) throws IOException {
        client.write(octets.getBytes(StandardCharsets.UTF_8));
    }

    public String ehlo() throws IOException {
        return expect("EHLO client.test", "250");
    }

    public void startTls(SSLSocketFactory tls) throws IOException {
        expect("STARTTLS", "220");
        client.startTls(tls);
    }

    public void login(String user, String password) throws IOException {
        String response = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
        expect("AUTH PLAIN " + response, "235");
    }

    /** DATA with this content (CRLF lines; dot-stuffing is the caller's), then the end; returns the final reply. */
    public String data(String content) throws IOException {
        expect("DATA", "354");
        write(content + (content.endsWith("\r\n") ? "" : "\r\n") + ".\r\n");
        return reply();
    }

    public LineClient lineClient() {
        return client;
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
