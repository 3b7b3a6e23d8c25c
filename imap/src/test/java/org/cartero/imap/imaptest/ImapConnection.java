package org.cartero.imap.imaptest;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SSLSocket;

/**
 * One TCP (or implicit TLS) connection to the server under test: writes command bytes and reads
 * response lines, split into arguments by {@link ImapArgParser}. It keeps the raw text of each
 * response for failure reports.
 */
final class ImapConnection implements Closeable {
    /** How much of one response a report keeps. */
    private static final int RAW_LIMIT = 8192;

    private final Socket socket;
    private final InputStream input;
    private final OutputStream output;
    private final Reader reader = new Reader();

    /** A response line: its arguments (the tag or "*" or "+" first) and its raw text. */
    record Line(List<ImapArg> args, String raw) {
    }

    private ImapConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.input = socket.getInputStream();
        this.output = socket.getOutputStream();
    }

    /**
     * Connects to the server.
     *
     * @param replyTimeout how long a read may wait for the server before the test fails
     */
    static ImapConnection open(ImapTestServer server, Duration replyTimeout) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(server.host(), server.port()), (int) replyTimeout.toMillis());
            socket.setSoTimeout((int) replyTimeout.toMillis());
            socket.setTcpNoDelay(true);
            if (server.implicitTls()) {
                SSLSocket tls = (SSLSocket) server.tlsSocketFactory()
                        .createSocket(socket, server.host(), server.port(), true);
                tls.startHandshake();
                return new ImapConnection(tls);
            }
            return new ImapConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** The greeting as imaptest reads it: one raw line, without CRLF. */
    String readGreeting() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = reader.read()) != '\n') {
            if (c == -1) {
                throw new EOFException("connection closed before the greeting");
            }
            line.write(c);
        }
        reader.takeRaw();
        String text = Text.latin1(line.toByteArray());
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    Line readLine() throws IOException, ImapSyntaxException {
        try {
            List<ImapArg> args = ImapArgParser.readResponse(reader);
            return new Line(args, reader.takeRaw());
        } catch (ImapSyntaxException e) {
            throw new ImapSyntaxException(e.getMessage() + ": " + Text.forReport(reader.takeRaw()));
        }
    }

    void write(String latin1) throws IOException {
        output.write(Text.bytes(latin1));
    }

    void write(byte[] bytes) throws IOException {
        output.write(bytes);
    }

    void flush() throws IOException {
        output.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** Buffered reading from the socket that also keeps the bytes of the current response. */
    private final class Reader implements ImapArgParser.ByteSource {
        private final byte[] buffer = new byte[16384];
        private int position;
        private int limit;
        private final ByteArrayOutputStream raw = new ByteArrayOutputStream();

        @Override
        public int peek() throws IOException {
            return fill() ? buffer[position] & 0xff : -1;
        }

        @Override
        public int read() throws IOException {
            if (!fill()) {
                return -1;
            }
            int c = buffer[position++] & 0xff;
            if (raw.size() < RAW_LIMIT) {
                raw.write(c);
            }
            return c;
        }

        @Override
        public byte[] readFully(int length) throws IOException {
            byte[] out = new byte[length];
            int done = 0;
            while (done < length) {
                if (!fill()) {
                    throw new EOFException("connection closed in the middle of a literal");
                }
                int chunk = Math.min(length - done, limit - position);
                System.arraycopy(buffer, position, out, done, chunk);
                raw.write(buffer, position, Math.max(0, Math.min(chunk, RAW_LIMIT - raw.size())));
                position += chunk;
                done += chunk;
            }
            return out;
        }

        private boolean fill() throws IOException {
            if (position < limit) {
                return true;
            }
            int count = input.read(buffer);
            if (count <= 0) {
                return false;
            }
            position = 0;
            limit = count;
            return true;
        }

        String takeRaw() {
            String text = Text.latin1(raw.toByteArray());
            raw.reset();
            return text;
        }
    }
}
