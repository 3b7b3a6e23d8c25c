package org.cartero.store.embedded;

import java.io.IOException;
import java.io.OutputStream;

/** Writes everything to two streams: the file being written and the structure parser. */
final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;
    private int last = -1;

    Tee(OutputStream a, OutputStream b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
        a.write(x);
        b.write(x);
        last = x & 0xff;
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return;
        a.write(buf, off, len);
        b.write(buf, off, len);
        last = buf[off + len - 1] & 0xff;
    }

    /** The last byte written, or -1. */
    int last() {
        return last;
    }

    @Override
    public void flush() throws IOException {
        a.flush();
        b.flush();
    }
}
