package org.cartero.pop3.protocol;

import java.util.OptionalLong;

/**
 * A POP3 command as {@link CommandParser} reads it (RFC 1939 sections 4 to 7, with CAPA of
 * RFC 2449, STLS of RFC 2595, AUTH of RFC 5034 and UTF8 of RFC 6856). Message numbers are as the
 * client wrote them (1 and up, or larger than any maildrop); the session checks that they exist.
 */
public sealed interface Command {

    /** USER name (RFC 1939 section 7). */
    record User(String name) implements Command {}

    /** PASS string (RFC 1939 section 7): the rest of the line, spaces included. */
    record Pass(String password) implements Command {}

    /** QUIT (RFC 1939 sections 4 and 6). */
    record Quit() implements Command {}

    /** STAT (RFC 1939 section 5). */
    record Stat() implements Command {}

    /** LIST [msg] (RFC 1939 section 5). */
    record List(OptionalLong message) implements Command {}

    /** RETR msg (RFC 1939 section 5). */
    record Retr(long message) implements Command {}

    /** DELE msg (RFC 1939 section 5). */
    record Dele(long message) implements Command {}

    /** NOOP (RFC 1939 section 5). */
    record Noop() implements Command {}

    /** RSET (RFC 1939 section 5). */
    record Rset() implements Command {}

    /** TOP msg n (RFC 1939 section 7): the header and the first {@code lines} lines of the body. */
    record Top(long message, long lines) implements Command {}

    /** UIDL [msg] (RFC 1939 section 7). */
    record Uidl(OptionalLong message) implements Command {}

    /** CAPA (RFC 2449 section 5). */
    record Capa() implements Command {}

    /** STLS (RFC 2595 section 4). */
    record Stls() implements Command {}

    /**
     * AUTH (RFC 5034 section 4): the mechanism in upper case and the initial response, decoded
     * (empty for "="), or null when the client sent none. A bare AUTH (mechanism null) asks for
     * the list of mechanisms, as older clients do before CAPA existed.
     */
    record Auth(String mechanism, byte[] initialResponse) implements Command {}

    /** UTF8 (RFC 6856 section 2). */
    record Utf8() implements Command {}
}
