package org.cartero.core.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.cartero.core.config.Service;
import org.cartero.core.tls.TlsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection as a protocol session sees it: lines and bytes in, buffered bytes out,
 * STARTTLS, an idle timeout, and a seam for compression. {@link NetServer} makes one per accepted
 * socket and closes it when the session ends; tests may make one over any connected socket.
 *
 * <p>A connection belongs to the one thread that serves it; only {@link #abort()} (the server's
 * way to cut it off) is called from another.
 */
public final class Connection implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);
    /** The longest a TLS handshake may take (shorter when the idle timeout is shorter). */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(30);

    private final Service service;
    private final TlsContext tls;
    private final Socket tcp;
    private final InetSocketAddress remoteAddress;
    private final InetSocketAddress localAddress;
    private final ConnectionInput input;
    private final ConnectionOutput output;
    private volatile Socket socket; // tcp, or the TLS socket over it
    private volatile Duration idleTimeout = Duration.ZERO;
    private StreamLayer layer;
    private boolean closed;

    public Connection(Socket tcp, Service service, TlsContext tls, int maxLineLength) throws IOException {
        this.tcp = tcp;
        this.socket = tcp;
        this.service = Objects.requireNonNull(service);
        this.tls = Objects.requireNonNull(tls);
        this.remoteAddress = (InetSocketAddress) tcp.getRemoteSocketAddress();
        this.localAddress = (InetSocketAddress) tcp.getLocalSocketAddress();
        this.input = new ConnectionInput(tcp.getInputStream(), maxLineLength);
        this.output = new ConnectionOutput(tcp.getOutputStream());
    }

    public Service service() {
        return service;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** True when the client connects from this machine (127.0.0.0/8 or ::1). */
    public boolean isLoopback() {
        return remoteAddress.getAddress().isLoopbackAddress();
    }

    public boolean isTls() {
        return socket instanceof SSLSocket;
    }

    /** The TLS version, such as "TLSv1.3"; null on a plain connection. */
    public String tlsProtocol() {
        SSLSession session = tlsSession();
        return session == null ? null : session.getProtocol();
    }

    /** The cipher suite, such as "TLS_AES_256_GCM_SHA384"; null on a plain connection. */
    public String tlsCipherSuite() {
        SSLSession session = tlsSession();
        return session == null ? null : session.getCipherSuite();
    }

    /**
     * The next line without its CRLF (or bare LF), decoded as UTF-8; null when the client has
     * closed the connection.
     *
     * @throws LineTooLongException when the line is longer than {@code limits.max_line_length};
     *         the whole line has been read and dropped, so the session may answer and go on
     * @throws java.net.SocketTimeoutException when nothing arrived within the idle timeout
     */
    public String readLine() throws IOException {
        return input.readLine();
    }

    /** The same buffered input that {@link #readLine()} reads, for literals and message data. */
    public InputStream input() {
        return input;
    }

    /** Buffered output: nothing reaches the client before {@link #flush()}. */
    public OutputStream output() {
        return output;
    }

    /** Writes the line and CRLF (UTF-8) to the buffered output. */
    public void writeLine(String line) throws IOException {
        output.write(line.getBytes(StandardCharsets.UTF_8));
        output.write('\r');
        output.write('\n');
    }

    public void flush() throws IOException {
        output.flush();
    }

    /**
     * Sends what is buffered, then runs the TLS handshake as the server. Every byte the client
     * sent before the handshake and the session has not read yet is thrown away: a command
     * pipelined behind STARTTLS would otherwise run as if it had come through TLS
     * (CVE-2011-0411; RFC 3207 §4.2: the server MUST discard what it learnt from the client
     * before TLS). Also starts implicit TLS (RFC 8314) on a fresh connection.
     */
    public void startTls() throws IOException {
        if (isTls()) throw new IllegalStateException("TLS is already active on " + this);
        if (layer != null) throw new IllegalStateException("TLS cannot start under a stream layer on " + this);
        output.flush();
        int discarded = input.discardBuffered();
        if (discarded > 0) {
            log.warn("{}: threw away {} bytes sent before the TLS handshake (command injection?)", this, discarded);
        }
        tcp.setSoTimeout(handshakeTimeoutMillis());
        SSLSocket secured = tls.serverHandshake(tcp);
        secured.setSoTimeout(millis(idleTimeout));
        socket = secured;
        input.replaceSource(secured.getInputStream());
        output.replaceTarget(secured.getOutputStream());
        log.debug("{}: TLS started ({}, {})", this, tlsProtocol(), tlsCipherSuite());
    }

    /**
     * How long a read may wait for the client; longer ends in a
     * {@link java.net.SocketTimeoutException} (the session may still say goodbye). The same
     * bound applies to a write the client does not take: the server then closes the connection.
     * {@link Duration#ZERO} waits forever.
     */
    public void setIdleTimeout(Duration timeout) throws IOException {
        if (timeout.isNegative()) throw new IllegalArgumentException("negative idle timeout: " + timeout);
        idleTimeout = timeout;
        socket.setSoTimeout(millis(timeout));
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * Sends what is buffered, then reads and writes through {@code layer} from the next byte on
     * (bytes received and not yet read are decoded by it too), e.g. {@link DeflateLayer} after
     * IMAP COMPRESS (RFC 4978 §3). At most one layer per connection; STARTTLS must come before it.
     */
    public void addLayer(StreamLayer layer) throws IOException {
        if (this.layer != null) throw new IllegalStateException("a stream layer is already active on " + this);
        output.addLayer(layer::wrapOutput);
        input.addLayer(layer::wrapInput);
        this.layer = layer;
    }

    /** Sends what is buffered and closes the connection (with a TLS close_notify when TLS is active). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            output.close(); // flushes and closes the stream stack down to the socket
        } catch (IOException e) {
            log.debug("{}: closing: {}", this, e.toString());
        }
        abort();
        if (layer != null) layer.release();
    }

    /**
     * Closes the TCP connection at once, from any thread: a session blocked reading or writing
     * fails with an IOException and ends.
     */
    void abort() {
        try {
            tcp.close();
        } catch (IOException e) {
            log.debug("{}: closing: {}", this, e.toString());
        }
    }

    /** How long the write in progress has been waiting for the client, in nanoseconds; 0 when none. */
    long writeBlockedNanos(long now) {
        return output.blockedNanos(now);
    }

    @Override
    public String toString() {
        return service.key() + " connection from " + remoteAddress.getAddress().getHostAddress() + ":" + remoteAddress.getPort();
    }

    private SSLSession tlsSession() {
        return socket instanceof SSLSocket secured ? secured.getSession() : null;
    }

    private int handshakeTimeoutMillis() {
        Duration idle = idleTimeout;
        return millis(idle.isZero() || idle.compareTo(HANDSHAKE_TIMEOUT) > 0 ? HANDSHAKE_TIMEOUT : idle);
    }

    private static int millis(Duration duration) {
        return (int) Math.min(duration.toMillis(), Integer.MAX_VALUE);
    }
}
