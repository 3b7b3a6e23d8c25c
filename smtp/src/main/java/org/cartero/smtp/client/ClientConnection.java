package org.cartero.smtp.client;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.cartero.core.tls.TlsContext;
import org.cartero.smtp.client.SmtpClientSettings.Timeouts;
import org.cartero.smtp.protocol.Command;
import org.cartero.smtp.protocol.DotStuffingOutputStream;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.protocol.ReplyReader;

/**
 * One TCP connection to an SMTP server, as the client sees it: commands out, replies in, each
 * with its RFC 5321 section 4.5.3.2 time limit; the switch to TLS after STARTTLS; the message
 * content streamed out dot-stuffed. It knows nothing of what the replies mean. It remembers what
 * it was doing ({@link #phase()}), so that a failure can say "while sending RCPT TO".
 */
final class ClientConnection implements Closeable {

    private static final int BUFFER = 64 * 1024;

    /** The local message could not be read: nothing is wrong with the server, and "." was never sent. */
    static final class ContentUnreadableException extends Exception {
        ContentUnreadableException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private final RemoteHost peer;
    private final Timeouts timeouts;
    private final Socket tcp;
    private Socket socket;
    private BufferedInputStream in;
    private DeadlineOutputStream deadline;
    private OutputStream out;
    private ReplyReader replies;
    private String phase = "connecting";

    private ClientConnection(RemoteHost peer, Timeouts timeouts, Socket tcp) throws IOException {
        this.peer = peer;
        this.timeouts = timeouts;
        this.tcp = tcp;
        use(tcp);
    }

    /** Connects, waiting at most the connect timeout. */
    static ClientConnection open(RemoteHost peer, Timeouts timeouts) throws IOException {
        Socket tcp = new Socket();
        try {
            tcp.connect(peer.address(), Math.toIntExact(timeouts.connect().toMillis()));
            return new ClientConnection(peer, timeouts, tcp);
        } catch (IOException | RuntimeException e) {
            tcp.close();
            throw e;
        }
    }

    RemoteHost peer() {
        return peer;
    }

    /** What the client was doing, for messages: "receiving the initial greeting". */
    String phase() {
        return phase;
    }

    void phase(String phase) {
        this.phase = phase;
    }

    /** Queues a command; see {@link #flush()}. */
    void write(Command command) throws IOException {
        writeLine(command.line());
    }

    /**
     * Queues a line that is not a command (a SASL response).
     *
     * @throws IllegalArgumentException for a line with a CR or LF in it, which would smuggle in a
     *                                  command of its own (an address made without parsing could)
     */
    void writeLine(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a line break inside a command line: " + line.replace("\r", "\\r").replace("\n", "\\n"));
        }
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
        deadline.limit(timeouts.command());
        out.flush();
    }

    /** The next reply, waiting at most {@code timeout} for it. */
    Reply read(Duration timeout) throws IOException {
        socket.setSoTimeout(Math.toIntExact(Math.max(1, timeout.toMillis())));
        return replies.read();
    }

    /** Sends one command and reads its reply. */
    Reply command(Command command, Duration timeout) throws IOException {
        write(command);
        flush();
        return read(timeout);
    }

    /**
     * Runs the TLS handshake after the server's 220 reply to STARTTLS (RFC 3207), without
     * verifying its certificate; the peer's name goes into SNI.
     *
     * @throws ProtocolException when the server sent more after its 220: such bytes could only be
     *                           injected plaintext, which must never be taken as a reply under TLS
     */
    SSLSession startTls(TlsContext tls) throws IOException {
        if (in.available() > 0) {
            throw new ProtocolException("the server sent data after its 220 reply to STARTTLS");
        }
        socket.setSoTimeout(Math.toIntExact(timeouts.command().toMillis()));
        SSLSocket secured = tls.clientHandshake(tcp, peer.name());
        use(secured);
        return secured.getSession();
    }

    /** The TLS session, or null before TLS. */
    SSLSession tlsSession() {
        return socket instanceof SSLSocket secured ? secured.getSession() : null;
    }

    /**
     * Streams the message after the 354 reply to DATA: dot-stuffed, ended by CRLF "." CRLF, each
     * block of it given the data block timeout; then reads the server's reply, waiting for it as
     * long as the DATA termination timeout allows.
     *
     * @throws ContentUnreadableException when the message cannot be read; nothing ended the data, so
     *                                    the connection must be closed
     */
    Reply sendContent(MessageContent content) throws IOException, ContentUnreadableException {
        phase = "sending the message content";
        deadline.limit(timeouts.dataBlock());
        DotStuffingOutputStream data = new DotStuffingOutputStream(out);
        InputStream source;
        try {
            source = content.source().open();
        } catch (IOException e) {
            throw new ContentUnreadableException(e);
        }
        try {
            byte[] buffer = new byte[BUFFER];
            for (int n = readContent(source, buffer); n >= 0; n = readContent(source, buffer)) {
                data.write(buffer, 0, n);
            }
        } finally {
            closeContent(source);
        }
        data.finish();
        out.flush();
        phase = "waiting for the reply to the end of the data (the message may be delivered twice)";
        return read(timeouts.dataDone());
    }

    @Override
    public void close() throws IOException {
        tcp.close();
    }

    private static int readContent(InputStream source, byte[] buffer) throws ContentUnreadableException {
        try {
            return source.read(buffer);
        } catch (IOException e) {
            throw new ContentUnreadableException(e);
        }
    }

    /** Closing a stream that has been read from can fail only in ways that change nothing here. */
    private static void closeContent(InputStream source) {
        try {
            source.close();
        } catch (IOException e) {
            // the content was read; nothing was lost
        }
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
        this.replies = new ReplyReader(in);
        this.deadline = new DeadlineOutputStream(socket.getOutputStream(), tcp, timeouts.command());
        this.out = new BufferedOutputStream(deadline, BUFFER);
    }
}
