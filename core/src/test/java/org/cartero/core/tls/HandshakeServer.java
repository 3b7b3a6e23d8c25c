package org.cartero.core.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.cert.Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server for testing a {@link TlsContext} on its own: accepts on 127.0.0.1, runs the server
 * handshake, then reads until the client closes. Handshakes it completed are in {@link #sessions}.
 */
final class HandshakeServer implements AutoCloseable {
    private static final int READ_GUARD_MILLIS = 20_000;

    final BlockingQueue<SSLSession> sessions = new LinkedBlockingQueue<>();
    private final ServerSocket listener;

    HandshakeServer(TlsContext tls) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (true) {
                Socket socket;
                try {
                    socket = listener.accept();
                } catch (IOException e) {
                    return; // closed
                }
                Thread.ofVirtual().start(() -> serve(tls, socket));
            }
        });
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connects, handshakes as a client of {@code client} and returns the certificates the server sent. */
    Certificate[] handshake(SSLContext client) throws IOException {
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port())) {
            socket.setSoTimeout(READ_GUARD_MILLIS);
            socket.startHandshake();
            return socket.getSession().getPeerCertificates();
        }
    }

    private void serve(TlsContext tls, Socket socket) {
        try (socket) {
            socket.setSoTimeout(READ_GUARD_MILLIS);
            SSLSocket secured = tls.serverHandshake(socket);
            sessions.add(secured.getSession());
            InputStream in = secured.getInputStream();
            while (in.read() >= 0) {
                // the client talks no protocol; wait for it to close
            }
        } catch (IOException e) {
            // a refused handshake: the tests look at it from the client's side
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
