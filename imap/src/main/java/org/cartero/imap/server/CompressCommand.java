package org.cartero.imap.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import org.cartero.core.net.DeflateLayer;
import org.cartero.core.net.StreamLayer;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;

/** COMPRESS=DEFLATE (RFC 4978). */
final class CompressCommand {

    private CompressCommand() {
    }

    /**
     * Answers OK, then compresses both directions from the next byte on (RFC 4978 section 3):
     * what the server writes after the OK, and what the client sent after the command, even if
     * it is read already.
     */
    static StatusResponse compress(Session session, String tag, Command.Compress command) throws IOException, ImapException {
        if (!command.algorithm().equals("DEFLATE")) throw ImapException.bad("Unknown compression algorithm " + command.algorithm());
        if (session.compressed()) throw ImapException.no(ResponseCode.COMPRESSIONACTIVE, "DEFLATE is active already");
        session.send(StatusResponse.ok(tag, "DEFLATE active"));
        session.flush();
        byte[] early = session.reader.takeBuffered();
        session.connection.addLayer(new AfterBytes(new DeflateLayer(), early));
        session.compressed(true);
        return null;
    }

    /** A layer whose input starts with bytes already taken off the connection. */
    private record AfterBytes(StreamLayer layer, byte[] early) implements StreamLayer {

        @Override
        public InputStream wrapInput(InputStream below) {
            return layer.wrapInput(early.length == 0 ? below : new SequenceInputStream(new ByteArrayInputStream(early), below));
        }

        @Override
        public OutputStream wrapOutput(OutputStream below) {
            return layer.wrapOutput(below);
        }

        @Override
        public void release() {
            layer.release();
        }
    }
}
