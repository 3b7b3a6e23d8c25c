package org.cartero.bench.pop3;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** A POP3 server under test, running as its own process (tree) on loopback. */
interface BenchServer extends AutoCloseable {

    String name();

    InetSocketAddress address();

    /** The process whose tree {@link ProcessCpu} measures. */
    long pid();

    @Override
    void close();

    /** A port free at this moment. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Waits until something accepts connections on {@code address}. */
    static void awaitListening(InetSocketAddress address, Duration timeout, ProcessHandle server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
                return;
            } catch (IOException e) {
                if (!server.isAlive()) throw new IOException("the server exited");
                if (System.nanoTime() > deadline) throw new IOException("nothing listens on " + address + " after " + timeout);
                Thread.sleep(100);
            }
        }
    }
}
