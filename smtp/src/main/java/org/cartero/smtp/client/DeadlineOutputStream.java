package org.cartero.smtp.client;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A socket's output with a time limit on each write: a server that stops reading (its receive
 * window stays shut) would block a write for ever, since sockets time out reads only. When a write
 * takes longer than the limit, the TCP socket is closed under it and the write fails with a
 * {@link SocketTimeoutException}. Closing the TCP socket, not a TLS socket over it, so that no
 * close_notify has to get through the blocked connection.
 */
final class DeadlineOutputStream extends FilterOutputStream {

    /** One timer thread for every connection: it only closes sockets that have stalled. */
    private static final ScheduledThreadPoolExecutor TIMER;

    static {
        TIMER = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("smtp-client-write-deadline").factory());
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Socket tcp;
    private volatile Duration limit;
    private volatile boolean expired;

    /**
     * @param out   the output stream of {@code tcp} or of a TLS socket over it
     * @param tcp   the TCP socket, closed when a write stalls
     * @param limit the time limit of one write, until {@link #limit(Duration)} changes it
     */
    DeadlineOutputStream(OutputStream out, Socket tcp, Duration limit) {
        super(out);
        this.tcp = tcp;
        this.limit = limit;
    }

    void limit(Duration limit) {
        this.limit = limit;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Duration current = limit;
        ScheduledFuture<?> alarm = TIMER.schedule(this::expire, current.toNanos(), TimeUnit.NANOSECONDS);
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            if (expired) throw new SocketTimeoutException("the server took no data for " + current.toSeconds() + "s");
            throw e;
        } finally {
            alarm.cancel(false);
        }
    }

    private void expire() {
        expired = true;
        try {
            tcp.close();
        } catch (IOException e) {
            // closing is all that is left to do
        }
    }
}
