package org.cartero.pop3.server;

import java.time.Duration;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigSection;

/**
 * The {@code [pop3]} section of the configuration.
 *
 * @param loginDelay     {@code login_delay}: the least time between two logins of one user,
 *                       announced as LOGIN-DELAY (RFC 2449 section 6.5) and enforced with
 *                       [LOGIN-DELAY]; null (the default) for none
 * @param expire         {@code expire}: the EXPIRE policy announced (RFC 2449 section 6.7), or
 *                       null (the default) to announce none
 * @param maxBadCommands {@code max_bad_commands}: after this many bad commands (unknown,
 *                       malformed, out of place, over-long, failed logins) the session is closed
 */
public record Pop3Settings(Duration loginDelay, Expire expire, int maxBadCommands) {

    /** What happens to messages the client leaves on the server. */
    public enum Expire {
        /** "never": they stay until the client deletes them (EXPIRE NEVER). */
        NEVER("NEVER"),
        /** "retrieved": a message retrieved with RETR is deleted at QUIT as if DELE'd (EXPIRE 0). */
        RETRIEVED("0");

        private final String capability;

        Expire(String capability) {
            this.capability = capability;
        }

        /** The argument of the EXPIRE capability. */
        public String capability() {
            return capability;
        }
    }

    public static final Pop3Settings DEFAULTS = new Pop3Settings(null, null, 10);

    public Pop3Settings {
        if (loginDelay != null && (loginDelay.isNegative() || loginDelay.isZero())) {
            throw new IllegalArgumentException("login delay must be positive: " + loginDelay);
        }
        if (maxBadCommands < 1) throw new IllegalArgumentException("max_bad_commands must be at least 1");
    }

    public static Pop3Settings from(ConfigSection section) throws ConfigException {
        Duration loginDelay = section.duration("login_delay", null);
        if (loginDelay != null && loginDelay.toSeconds() < 1) {
            throw section.error("login_delay", "must be at least 1s; leave it out for no delay");
        }
        String expireText = section.string("expire", null);
        Expire expire = null;
        if (expireText != null) {
            expire = switch (expireText) {
                case "never" -> Expire.NEVER;
                case "retrieved" -> Expire.RETRIEVED;
                default -> throw section.error("expire", "expected \"never\" or \"retrieved\", got \"" + expireText + "\"");
            };
        }
        int maxBadCommands = section.integer("max_bad_commands", DEFAULTS.maxBadCommands(), 1, 1000);
        return new Pop3Settings(loginDelay, expire, maxBadCommands);
    }
}
