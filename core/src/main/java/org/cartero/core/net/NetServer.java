package org.cartero.core.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLException;
import org.cartero.core.config.Config;
import org.cartero.core.config.HostPort;
import org.cartero.core.config.Service;
import org.cartero.core.tls.TlsContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every configured listener: an accept loop per address of {@code [listen]}, a virtual thread per
 * connection, implicit TLS for the services that have it, the connection limits and idle
 * timeouts, and a graceful {@link #stop()}. The protocols plug in as {@link ProtocolHandler}s.
 */
public final class NetServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetServer.class);
    private static final int BACKLOG = 1024;
    /** How long refusing an over-limit client may take, TLS handshake included. */
    static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(10);
    /** Refusals under way at once; beyond that an over-limit connection is closed without a word. */
    static final int MAX_REFUSALS = 64;
    /** How long sessions closed at the end of the grace period get to unwind. */
    private static final Duration UNWIND_TIMEOUT = Duration.ofSeconds(5);
    /** How often the watchdog looks for writes that the client does not take. */
    private static final Duration WATCHDOG_INTERVAL = Duration.ofSeconds(1);
    /** The pause after a failed accept (out of file descriptors, say), so the loop does not spin. */
    private static final Duration ACCEPT_RETRY = Duration.ofMillis(100);

    private record Listener(Service service, InetSocketAddress address, ServerSocket socket, ProtocolHandler handler) {}

    private final Config config;
    private final TlsContext tls;
    private final ConnectionLimits limits;
    private final Semaphore refusals = new Semaphore(MAX_REFUSALS);
    private final List<Listener> listeners = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final Map<Connection, Thread> sessions = new ConcurrentHashMap<>();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private final ReentrantLock stopping = new ReentrantLock();
    private final Object sessionStart = new Object();
    private volatile boolean stopRequested; // set while holding sessionStart, see dispatch
    private boolean stopped;                 // guarded by stopping
    private Thread watchdog;

    private NetServer(Config config, TlsContext tls) {
        this.config = config;
        this.tls = tls;
        this.limits = new ConnectionLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerIp());
    }

    /**
     * Binds every address of {@code config.listen()} whose service has a handler and starts
     * accepting. A configured service without a handler (a protocol not built yet) is skipped
     * with a note in the log. If any address cannot be bound, nothing is left listening.
     */
    public static NetServer start(Config config, TlsContext tls, Map<Service, ProtocolHandler> handlers)
            throws IOException {
        NetServer server = new NetServer(config, tls);
        try {
            for (Service service : Service.values()) {
                List<HostPort> addresses = config.listen().get(service);
                if (addresses == null) continue;
                ProtocolHandler handler = handlers.get(service);
                if (handler == null) {
                    log.info("Not listening for {} on {}: that protocol is not available", service.key(), addresses);
                    continue;
                }
                for (HostPort address : addresses) {
                    ServerSocket socket = bind(service, address);
                    server.listeners.add(new Listener(service,
                            (InetSocketAddress) socket.getLocalSocketAddress(), socket, handler));
                }
            }
        } catch (IOException e) {
            server.listeners.forEach(listener -> closeQuietly(listener.socket()));
            throw e;
        }
        for (Listener listener : server.listeners) {
            log.info("Listening for {} on {}{}", listener.service().key(), format(listener.address()),
                    listener.service().implicitTls() ? " (implicit TLS)" : "");
            server.acceptors.add(Thread.ofVirtual()
                    .name("accept-" + listener.service().key() + "-" + format(listener.address()))
                    .start(() -> server.acceptLoop(listener)));
        }
        server.watchdog = Thread.ofVirtual().name("net-watchdog").start(server::watchWrites);
        return server;
    }

    /** The addresses a service is listening on, with the ports actually bound (port 0 in the configuration picks one). */
    public List<InetSocketAddress> addresses(Service service) {
        return listeners.stream().filter(l -> l.service() == service).map(Listener::address).toList();
    }

    /** The first address a service is listening on. */
    public InetSocketAddress address(Service service) {
        return addresses(service).stream().findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not listening for " + service.key()));
    }

    /** Connections admitted within the limits and not yet closed. */
    public int openConnections() {
        return limits.total();
    }

    /**
     * Stops accepting at once (new connections are refused by the operating system), lets open
     * sessions finish for up to {@code timeouts.shutdown}, then closes the ones that remain.
     * Returns when every session has ended; calling it again does nothing.
     */
    public void stop() {
        stopping.lock();
        try {
            if (stopped) return;
            synchronized (sessionStart) {
                stopRequested = true;
            }
            listeners.forEach(listener -> closeQuietly(listener.socket()));
            awaitEnd(acceptors, System.nanoTime() + UNWIND_TIMEOUT.toNanos());
            Duration grace = config.timeouts().shutdown();
            if (!sessions.isEmpty()) {
                log.info("Stopped listening; waiting up to {} s for {} open sessions to finish",
                        grace.toSeconds(), sessions.size());
                awaitEnd(List.copyOf(sessions.values()), System.nanoTime() + grace.toNanos());
            }
            if (!sessions.isEmpty()) {
                log.info("Closing {} sessions still open after the grace period", sessions.size());
                sessions.keySet().forEach(Connection::abort);
                awaitEnd(List.copyOf(sessions.values()), System.nanoTime() + UNWIND_TIMEOUT.toNanos());
                if (!sessions.isEmpty()) log.warn("{} sessions did not end after their connection was closed", sessions.size());
            }
            watchdog.interrupt();
            stopped = true;
            log.info("All listeners stopped");
        } finally {
            stopping.unlock();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static ServerSocket bind(Service service, HostPort address) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address.host()), address.port()), BACKLOG);
            return socket;
        } catch (IOException e) {
            closeQuietly(socket);
            String hint = String.valueOf(e.getMessage()).contains("Permission denied")
                    ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : "";
            throw new IOException("cannot listen for " + service.key() + " on " + address + ": " + e.getMessage() + hint, e);
        }
    }

    private void acceptLoop(Listener listener) {
        while (true) {
            Socket socket;
            try {
                socket = listener.socket().accept();
            } catch (IOException e) {
                if (listener.socket().isClosed()) return;
                log.warn("Cannot accept {} connections on {}: {}", listener.service().key(), format(listener.address()), e.toString());
                pause(ACCEPT_RETRY);
                continue;
            }
            dispatch(listener, socket);
        }
    }

    /** Counts the new connection against the limits and starts its session (or its refusal). */
    private void dispatch(Listener listener, Socket socket) {
        InetAddress client = socket.getInetAddress();
        String refusal = limits.admit(client);
        if (refusal != null && !refusals.tryAcquire()) {
            log.warn("{} connection from {} closed unanswered: {}, and too many refusals under way",
                    listener.service().key(), client.getHostAddress(), refusal);
            closeQuietly(socket);
            return;
        }
        Runnable release = refusal == null ? () -> limits.release(client) : refusals::release;
        Connection connection;
        try {
            socket.setTcpNoDelay(true); // responses are flushed whole; Nagle would only delay them
            socket.setKeepAlive(true);  // finds clients that vanished during a long IMAP IDLE
            connection = new Connection(socket, listener.service(), tls, config.limits().maxLineLength());
        } catch (IOException e) {
            log.info("{} connection from {} lost at once: {}", listener.service().key(), client.getHostAddress(), e.toString());
            release.run();
            closeQuietly(socket);
            return;
        }
        Thread session = Thread.ofVirtual()
                .name(listener.service().key() + "-" + connectionNumbers.incrementAndGet())
                .unstarted(() -> run(listener, connection, refusal, release));
        synchronized (sessionStart) {
            // stop() sets stopRequested under this lock: every session it does not see is never started.
            if (stopRequested) {
                release.run();
                connection.abort();
                return;
            }
            sessions.put(connection, session);
        }
        session.start();
    }

    private void run(Listener listener, Connection connection, String refusal, Runnable release) {
        long started = System.nanoTime();
        try {
            connection.setIdleTimeout(refusal == null
                    ? config.timeouts().of(listener.service().protocol()) : REFUSAL_TIMEOUT);
            if (listener.service().implicitTls()) connection.startTls();
            log.info("{}: connected to {}{}", connection, format(connection.localAddress()), tlsDetails(connection));
            if (refusal == null) {
                listener.handler().serve(connection);
            } else {
                log.info("{}: refused: {}", connection, refusal);
                listener.handler().refuse(connection, refusal);
            }
        } catch (SocketTimeoutException e) {
            log.info("{}: timed out waiting for the client, closing", connection);
        } catch (SSLException e) {
            log.info("{}: TLS failed: {}", connection, e.getMessage());
        } catch (IOException e) {
            log.info("{}: {}: {}", connection, stopRequested ? "closed at shutdown" : "connection lost", e.toString());
        } catch (RuntimeException | Error e) {
            log.error("{}: the {} session failed", connection, listener.service().protocol(), e);
        } finally {
            // Counted out before the socket closes: a client that sees the end may connect again at once.
            release.run();
            connection.close();
            sessions.remove(connection);
            log.info("{}: closed after {} ms{}", connection, (System.nanoTime() - started) / 1_000_000,
                    tlsDetails(connection));
        }
    }

    /** Closes connections whose client has not taken what the server writes for longer than the idle timeout. */
    private void watchWrites() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(WATCHDOG_INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Connection connection : sessions.keySet()) {
                Duration timeout = connection.idleTimeout();
                if (!timeout.isZero() && connection.writeBlockedNanos(now) > timeout.toNanos()) {
                    log.info("{}: the client has taken no data for {} s, closing", connection, timeout.toSeconds());
                    connection.abort();
                }
            }
        }
    }

    /** Waits until every thread has ended or the deadline (a System.nanoTime() value) has passed. */
    private static void awaitEnd(List<Thread> threads, long deadline) {
        for (Thread thread : threads) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) return;
            try {
                thread.join(Duration.ofNanos(remaining));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stop() goes on without waiting further
                return;
            }
        }
    }

    private static String tlsDetails(Connection connection) {
        return connection.isTls() ? " (" + connection.tlsProtocol() + ", " + connection.tlsCipherSuite() + ")" : "";
    }

    private static String format(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing {}: {}", closeable, e.toString());
        }
    }
}
