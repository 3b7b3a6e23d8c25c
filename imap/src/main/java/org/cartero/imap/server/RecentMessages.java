package org.cartero.imap.server;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Which messages are still \Recent (RFC 3501 section 2.3.2): a message is recent in the first
 * IMAP4rev1 session to select its mailbox read-write after it arrived, and in no other. Per
 * mailbox (and UIDVALIDITY) this keeps the first UID no session has claimed yet; a session
 * claims every message from there to UIDNEXT. Kept in memory: after a restart each message is
 * \Recent once more, in the first session to see it.
 */
final class RecentMessages {

    private final ConcurrentHashMap<String, Long> firstUnclaimed = new ConcurrentHashMap<>();

    /**
     * Claims the messages below {@code uidNext} that no session has claimed, and returns the
     * first UID of them: the session sees [that UID, uidNext) as \Recent. A read-only session
     * ({@code claim} false) sees them without taking them from others.
     */
    long claim(String mailbox, long uidNext, boolean claim) {
        if (!claim) return firstUnclaimed.getOrDefault(mailbox, 1L);
        long[] first = {1};
        firstUnclaimed.merge(mailbox, uidNext, (old, next) -> {
            first[0] = old;
            return Math.max(old, next);
        });
        return first[0];
    }

    /** The key of a mailbox: its account, name and UIDVALIDITY. */
    static String key(String account, String mailbox, long uidValidity) {
        return account + '\0' + mailbox + '\0' + uidValidity;
    }
}
