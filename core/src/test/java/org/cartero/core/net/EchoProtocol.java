package org.cartero.core.net;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The stand-in line protocol that the listener core is tested with, until SMTP, IMAP and POP3
 * exist. Replies start with "+OK" or "-ERR", as in POP3.
 * <pre>
 *   ECHO text   → +OK text
 *   INFO        → +OK &lt;TLS protocol&gt; &lt;cipher suite&gt; loopback=&lt;true|false&gt;
 *   STARTTLS    → +OK begin TLS, then the TLS handshake
 *   COMPRESS    → +OK deflate, then both directions in raw DEFLATE (RFC 4978 style)
 *   FLOOD       → lines without end, until the connection is closed
 *   FAIL        → the handler throws (a bug)
 *   QUIT        → +OK bye, and the session ends
 * </pre>
 */
public final class EchoProtocol implements ProtocolHandler {
    /** Every command line the protocol acted on, across all sessions. */
    public final Queue<String> executed = new ConcurrentLinkedQueue<>();

    @Override
    public void serve(Connection connection) throws IOException {
        connection.writeLine("+OK echo ready");
        connection.flush();
        while (true) {
            String line;
            try {
                line = connection.readLine();
            } catch (LineTooLongException e) {
                connection.writeLine("-ERR line too long (at most " + e.maxLength() + " bytes)");
                connection.flush();
                continue;
            } catch (SocketTimeoutException e) {
                connection.writeLine("-ERR idle too long, closing");
                connection.flush();
                return;
            }
            if (line == null) return;
            executed.add(line);
            String[] words = line.split(" ", 2);
            String argument = words.length > 1 ? words[1] : "";
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "ECHO" -> connection.writeLine("+OK " + argument);
                case "INFO" -> connection.writeLine("+OK " + connection.tlsProtocol() + " "
                        + connection.tlsCipherSuite() + " loopback=" + connection.isLoopback());
                case "STARTTLS" -> {
                    connection.writeLine("+OK begin TLS");
                    connection.startTls();
                }
                case "COMPRESS" -> {
                    connection.writeLine("+OK deflate");
                    connection.addLayer(new DeflateLayer());
                }
                case "FLOOD" -> {
                    while (true) connection.writeLine("x".repeat(1000));
                }
                case "FAIL" -> throw new IllegalStateException("a bug in the handler");
                case "QUIT" -> {
                    connection.writeLine("+OK bye");
                    return;
                }
                default -> connection.writeLine("-ERR unknown command");
            }
            connection.flush();
        }
    }

    @Override
    public void refuse(Connection connection, String reason) throws IOException {
        connection.writeLine("-ERR [SYS/TEMP] " + reason); // the core flushes and closes
    }
}
