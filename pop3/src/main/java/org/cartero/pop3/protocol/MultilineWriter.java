package org.cartero.pop3.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The lines of a multi-line response after its status line (RFC 1939 section 3): each ends with
 * CRLF, a line that begins with "." gets another in front, and a line holding only "." ends the
 * response. For listings (LIST, UIDL, CAPA); message content goes through {@link MessageStreamer}.
 */
public final class MultilineWriter {
    private static final byte[] END = {'.', '\r', '\n'};

    private final OutputStream out;

    public MultilineWriter(OutputStream out) {
        this.out = out;
    }

    public void line(String line) throws IOException {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a response line cannot hold a line break: " + line);
        }
        if (line.startsWith(".")) out.write('.');
        out.write(line.getBytes(StandardCharsets.UTF_8));
        out.write('\r');
        out.write('\n');
    }

    /** Writes the terminating "." line. */
    public void end() throws IOException {
        out.write(END);
    }
}
