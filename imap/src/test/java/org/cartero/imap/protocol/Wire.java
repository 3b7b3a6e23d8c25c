package org.cartero.imap.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** A client's bytes fed to a {@link CommandReader}, counting the continuation requests it sends. */
final class Wire {

    int continuations;
    final CommandReader reader;

    Wire(String input) {
        this(input.getBytes(StandardCharsets.UTF_8), ReaderLimits.DEFAULT);
    }

    Wire(String input, ReaderLimits limits) {
        this(input.getBytes(StandardCharsets.UTF_8), limits);
    }

    Wire(byte[] input, ReaderLimits limits) {
        reader = new CommandReader(new ByteArrayInputStream(input), limits, () -> continuations++);
    }

    Received next() {
        try {
            return reader.next();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Received.Request request() {
        Received received = next();
        assertThat(received).as(() -> "parsed, not " + received).isInstanceOf(Received.Request.class);
        return (Received.Request) received;
    }

    /** The response refusing the next command. */
    StatusResponse refused() {
        Received received = next();
        assertThat(received).isInstanceOf(Received.Refused.class);
        return ((Received.Refused) received).response();
    }

    /** Parses "A1 " + line + CRLF, which must be a well-formed command. */
    static Command parse(String line) {
        return new Wire("A1 " + line + "\r\n").request().command();
    }

    /** Parses "A1 " + line + CRLF, which must be refused; returns the response. */
    static StatusResponse refuse(String line) {
        return new Wire("A1 " + line + "\r\n").refused();
    }
}
