package org.cartero.imap.protocol;

/**
 * How much a client may send in one command.
 *
 * @param maxCommandLength the bytes of one command the server holds in memory: its lines and its
 *     string literals together (message literals of APPEND are streamed and not counted). A
 *     longer line gets BAD; a longer string literal is refused before it is sent.
 * @param maxMessageSize the largest message literal of APPEND (the APPENDLIMIT, RFC 7889); a
 *     larger one is refused with NO [TOOBIG] before it is sent
 * @param maxNonSynchronizingLiteral the largest non-synchronising literal "{n+}": 4096 when the
 *     server announces LITERAL- (RFC 7888), {@link Long#MAX_VALUE} for LITERAL+
 */
public record ReaderLimits(int maxCommandLength, long maxMessageSize, long maxNonSynchronizingLiteral) {

    /** RFC 7888: LITERAL- allows non-synchronising literals of at most 4096 bytes. */
    public static final long LITERAL_MINUS = 4096;

    /** 64 KiB commands, 50 MiB messages, LITERAL+. */
    public static final ReaderLimits DEFAULT = new ReaderLimits(64 * 1024, 50L * 1024 * 1024, Long.MAX_VALUE);

    public ReaderLimits {
        if (maxCommandLength < 1024) throw new IllegalArgumentException("maxCommandLength must be at least 1024");
        if (maxMessageSize < 1 || maxNonSynchronizingLiteral < 0) throw new IllegalArgumentException("negative limit");
    }
}
