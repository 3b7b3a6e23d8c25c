package org.cartero.core.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A raw client for line protocols (SMTP, IMAP, POP3, the core's test protocol): sends lines or
 * exact bytes, reads lines, and upgrades to TLS when told. Every read gives up after
 * {@link #READ_GUARD} so that a broken server fails a test instead of hanging it.
 */
public final class LineClient implements Closeable {
    public static final Duration READ_GUARD = Duration.ofSeconds(20);

    private Socket socket;
    private InputStream in;
    private OutputStream out;

    private LineClient(Socket socket) throws IOException {
        socket.setSoTimeout((int) READ_GUARD.toMillis());
        socket.setTcpNoDelay(true);
        use(socket);
    }

    public static LineClient connect(InetSocketAddress server) throws IOException {
        return new LineClient(new Socket(server.getAddress(), server.getPort()));
    }

    /** Connects from a given local address, e.g. 127.0.0.2 to appear as another client. */
    public static LineClient connectFrom(InetAddress local, InetSocketAddress server) throws IOException {
        return new LineClient(new Socket(server.getAddress(), server.getPort(), local, 0));
    }

    /** Connects and runs the TLS handshake at once (implicit TLS). */
    public static LineClient connectTls(InetSocketAddress server, SSLSocketFactory tls) throws IOException {
        LineClient client = connect(server);
        client.startTls(tls);
        return client;
    }

    /** The next line without its line ending; null when the server closed the connection. */
    public String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            line.write(b);
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    /** Sends the line and CRLF. */
    public void writeLine(String line) throws IOException {
        write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends exactly these bytes in one write (one TCP segment when small). */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Runs the TLS handshake as the client over the current connection (after STARTTLS was accepted). */
    public void startTls(SSLSocketFactory tls) throws IOException {
        if (in.available() > 0) throw new IllegalStateException("the server sent bytes before the TLS handshake");
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        SSLSocket secured = (SSLSocket) tls.createSocket(socket, remote.getHostString(), remote.getPort(), true);
        secured.setUseClientMode(true);
        secured.startHandshake();
        use(secured);
    }

    /** The TLS session; null before TLS. */
    public SSLSession tlsSession() {
        return socket instanceof SSLSocket secured ? secured.getSession() : null;
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void use(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }
}
