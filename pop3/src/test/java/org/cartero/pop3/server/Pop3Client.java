package org.cartero.pop3.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.cartero.core.testing.LineClient;

/** A raw POP3 client for the session tests: sends lines, reads status lines and multi-line bodies. */
final class Pop3Client implements Closeable {
    final LineClient line;

    private Pop3Client(LineClient line) throws IOException {
        this.line = line;
        assertThat(line.readLine()).startsWith("+OK ");
    }

    static Pop3Client plain(Pop3TestServer server) throws IOException {
        return new Pop3Client(LineClient.connect(server.pop3()));
    }

    /** On port 995: TLS from the first byte. */
    static Pop3Client implicitTls(Pop3TestServer server) throws IOException {
        return new Pop3Client(LineClient.connectTls(server.pop3s(), server.clientTls()));
    }

    /** On port 110, upgraded with STLS. */
    static Pop3Client stls(Pop3TestServer server) throws IOException {
        Pop3Client client = plain(server);
        assertThat(client.command("STLS")).startsWith("+OK");
        client.line.startTls(server.clientTls());
        return client;
    }

    /** Sends a command and returns the status line. */
    String command(String command) throws IOException {
        line.writeLine(command);
        return status();
    }

    String status() throws IOException {
        return line.readLine();
    }

    /** The lines of a multi-line response up to the "." line, with byte-stuffing undone. */
    List<String> body() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = line.readLine(); !".".equals(l); l = line.readLine()) {
            if (l == null) throw new IOException("connection closed inside a multi-line response");
            lines.add(l.startsWith(".") ? l.substring(1) : l);
        }
        return lines;
    }

    /** Sends a command that answers with a multi-line response; checks the +OK and returns the lines. */
    List<String> multiline(String command) throws IOException {
        assertThat(command(command)).startsWith("+OK");
        return body();
    }

    void login(String user) throws IOException {
        assertThat(command("USER " + user)).startsWith("+OK");
        assertThat(command("PASS " + Pop3TestServer.PASSWORD)).startsWith("+OK maildrop locked and ready");
    }

    /**
     * Logs in, waiting while the maildrop is still held by a session whose connection has just
     * been closed on the client's side (the server notices the close a moment later).
     */
    void loginWhenFree(String user) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            assertThat(command("USER " + user)).startsWith("+OK");
            String response = command("PASS " + Pop3TestServer.PASSWORD);
            if (!response.startsWith("-ERR [IN-USE]") || System.nanoTime() > deadline) {
                assertThat(response).startsWith("+OK maildrop locked and ready");
                return;
            }
            Thread.sleep(50);
        }
    }

    /** True once the server has closed the connection. */
    boolean closedByServer() throws IOException {
        return line.readLine() == null;
    }

    @Override
    public void close() throws IOException {
        line.close();
    }
}
