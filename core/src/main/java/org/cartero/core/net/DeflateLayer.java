package org.cartero.core.net;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * COMPRESS=DEFLATE (RFC 4978): raw DEFLATE (RFC 1951, no zlib header) in both directions. Each
 * flush ends in a sync flush, so the peer can decode every response as soon as it is sent
 * (RFC 4978 §4). zlib keeps about 300 KiB of native memory per compressed connection, freed in
 * {@link #release()}.
 */
public final class DeflateLayer implements StreamLayer {
    private static final int BUFFER_SIZE = 1024;

    private final Inflater inflater = new Inflater(true);
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);

    @Override
    public InputStream wrapInput(InputStream below) {
        return new InflaterInputStream(below, inflater, BUFFER_SIZE);
    }

    @Override
    public OutputStream wrapOutput(OutputStream below) {
        return new DeflaterOutputStream(below, deflater, BUFFER_SIZE, true);
    }

    @Override
    public void release() {
        inflater.end();
        deflater.end();
    }
}
