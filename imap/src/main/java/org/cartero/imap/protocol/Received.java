package org.cartero.imap.protocol;

/** What {@link CommandReader#next()} read: a command, a refused command, or the end of the connection. */
public sealed interface Received {

    /** A well-formed command. */
    record Request(String tag, Command command) implements Received {
    }

    /**
     * A command refused while it was read, with the response to send (tagged when the tag could
     * be read). When {@code closeConnection} is true the session sends it, then BYE, and closes:
     * the client is sending data that cannot be skipped safely.
     */
    record Refused(StatusResponse response, boolean closeConnection) implements Received {
    }

    /** The client closed the connection. */
    record Closed() implements Received {
    }
}
