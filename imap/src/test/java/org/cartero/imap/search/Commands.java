package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.CommandReader;
import org.cartero.imap.protocol.ReaderLimits;
import org.cartero.imap.protocol.Received;
import org.cartero.imap.protocol.SearchKey;

/** Commands as a client writes them, parsed by the IMAP grammar the session uses. */
final class Commands {

    private Commands() {
    }

    /** Parses "tag " + command + CRLF; {@code command} may hold {n+} literals. */
    static Command parse(String command) {
        return parse(command.getBytes(StandardCharsets.UTF_8));
    }

    static Command parse(byte[] command) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.writeBytes("t1 ".getBytes(StandardCharsets.US_ASCII));
        line.writeBytes(command);
        line.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        try {
            Received received = new CommandReader(new ByteArrayInputStream(line.toByteArray()), ReaderLimits.DEFAULT, () -> { })
                    .next();
            assertThat(received).as("parsed: %s", new String(command, StandardCharsets.UTF_8)).isInstanceOf(Received.Request.class);
            return ((Received.Request) received).command();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The search key of "SEARCH " + program. */
    static SearchKey key(String program) {
        return ((Command.Search) parse("SEARCH " + program)).key();
    }
}
