package org.cartero.imap.server;

import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigSection;
import org.cartero.imap.protocol.ReaderLimits;

/**
 * The {@code [imap]} section of the configuration.
 *
 * @param maxCommandLength the bytes of one command held in memory: its lines and string literals
 *     (APPEND's messages are streamed and not counted)
 * @param appendLimit the largest message APPEND takes, announced as APPENDLIMIT (RFC 7889)
 * @param maxConnectionsPerUser the sessions one account may have open at once
 */
public record ImapSettings(int maxCommandLength, long appendLimit, int maxConnectionsPerUser) {

    public static final ImapSettings DEFAULT = new ImapSettings(64 * 1024, 50L * 1024 * 1024, 100);

    public ImapSettings {
        if (maxCommandLength < 1024) throw new IllegalArgumentException("max_command_length must be at least 1024");
        if (appendLimit < 1) throw new IllegalArgumentException("append_limit must be positive");
        if (maxConnectionsPerUser < 1) throw new IllegalArgumentException("max_connections_per_user must be positive");
    }

    /**
     * Reads {@code [imap]}: {@code max_command_length} (default 64K), {@code append_limit}
     * (default 50M), {@code max_connections_per_user} (default 100). The idle timeout is
     * {@code timeouts.imap}, which the listener applies.
     */
    public static ImapSettings from(ConfigSection section) throws ConfigException {
        long commandLength = section.size("max_command_length", DEFAULT.maxCommandLength);
        if (commandLength < 1024 || commandLength > 64L * 1024 * 1024) {
            throw section.error("max_command_length", "must be between 1K and 64M");
        }
        long appendLimit = section.size("append_limit", DEFAULT.appendLimit);
        if (appendLimit < 1 || appendLimit > 0xffff_ffffL) {
            // APPENDLIMIT is a number of at most 32 bits (RFC 7889 section 4)
            throw section.error("append_limit", "must be between 1 and 4G - 1");
        }
        int perUser = section.integer("max_connections_per_user", DEFAULT.maxConnectionsPerUser, 1, 1_000_000);
        return new ImapSettings((int) commandLength, appendLimit, perUser);
    }

    /** The command reader's limits: LITERAL+ (RFC 7888), so non-synchronising literals of any size up to the limits. */
    ReaderLimits readerLimits() {
        return new ReaderLimits(maxCommandLength, appendLimit, Long.MAX_VALUE);
    }
}
