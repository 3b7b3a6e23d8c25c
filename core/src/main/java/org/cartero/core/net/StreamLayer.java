package org.cartero.core.net;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A transformation that a protocol puts on both directions of a connection from one point on,
 * such as IMAP's COMPRESS=DEFLATE (RFC 4978). See {@link Connection#addLayer(StreamLayer)}.
 */
public interface StreamLayer {

    /** The stream to read from, decoding what {@code below} delivers. */
    InputStream wrapInput(InputStream below);

    /** The stream to write to, encoding onto {@code below}; its flush must make everything written so far decodable. */
    OutputStream wrapOutput(OutputStream below);

    /** Frees what the layer holds (such as native memory); called once, when the connection is closed. */
    void release();
}
