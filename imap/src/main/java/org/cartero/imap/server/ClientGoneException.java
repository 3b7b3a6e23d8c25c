package org.cartero.imap.server;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;

/**
 * The connection to the client failed (it closed, reset, or stayed silent past the idle
 * timeout). Reads and writes of the session go through {@link #guard(InputStream)} and
 * {@link #guard(OutputStream)}, so a handler can tell this apart from a store failure, which
 * answers the command with NO while this one ends the session.
 */
final class ClientGoneException extends IOException {

    ClientGoneException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    /** True when the client said nothing within the idle timeout (it is then told BYE). */
    boolean timedOut() {
        return getCause() instanceof SocketTimeoutException;
    }

    /** The exception itself, or the one in the chain of causes; null when the client is not at fault. */
    static ClientGoneException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ClientGoneException gone) return gone;
        }
        return null;
    }

    static InputStream guard(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (ClientGoneException e) {
                    throw e;
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return in.read(b, off, len);
                } catch (ClientGoneException e) {
                    throw e;
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }
        };
    }

    static OutputStream guard(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }

            @Override
            public void flush() throws IOException {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw new ClientGoneException(e);
                }
            }
        };
    }
}
