package org.cartero.bench.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One benchmark session, as a download client runs it: log in, STAT, UIDL, RETR every message
 * one after the other, QUIT. Reads with its own buffer and a small state machine, so that the
 * load generator costs little CPU beside the server it measures.
 */
final class Pop3LoadClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    /** Octets of message content received (multi-line bodies, without status lines). */
    long octets;

    Pop3LoadClient(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(120_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        expectOk(status());
    }

    /** The whole session; returns the number of messages retrieved. */
    int run(String user, String password) throws IOException {
        expectOk(command("USER " + user));
        expectOk(command("PASS " + password));
        String stat = command("STAT");
        expectOk(stat);
        int count = Integer.parseInt(stat.split(" ")[1]);
        expectOk(command("UIDL"));
        int listed = body();
        if (listed != count) throw new IOException("UIDL listed " + listed + " messages, STAT said " + count);
        for (int n = 1; n <= count; n++) {
            expectOk(command("RETR " + n));
            body();
        }
        expectOk(command("QUIT"));
        return count;
    }

    private String command(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return status();
    }

    private static void expectOk(String status) throws IOException {
        if (!status.startsWith("+OK")) throw new IOException("server said: " + status);
    }

    /** One status line, without its CRLF. */
    private String status() throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            if (position == limit) fill();
            byte b = buffer[position++];
            if (b == '\n') break;
            if (b != '\r') line.append((char) b);
        }
        return line.toString();
    }

    /** Reads a multi-line body up to its "." line; returns the number of lines. */
    private int body() throws IOException {
        int lines = 0;
        boolean lineStart = true;
        int dotState = 0; // 1: "." at a line start; 2: ".\r"
        while (true) {
            if (position == limit) fill();
            byte b = buffer[position++];
            octets++;
            if (dotState == 1) {
                dotState = b == '\r' ? 2 : 0;
            } else if (dotState == 2) {
                if (b == '\n') return lines;
                dotState = 0;
            } else if (lineStart && b == '.') {
                dotState = 1;
            }
            if (b == '\n') lines++;
            lineStart = b == '\n';
        }
    }

    private void fill() throws IOException {
        int n = in.read(buffer);
        if (n < 0) throw new IOException("connection closed by the server");
        position = 0;
        limit = n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
