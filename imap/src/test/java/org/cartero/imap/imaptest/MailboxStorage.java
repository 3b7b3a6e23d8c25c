package org.cartero.imap.imaptest;

import java.util.HashMap;
import java.util.Map;

/**
 * What imaptest remembers about one mailbox of one user across all connections of a test: its
 * UIDVALIDITY and, per UID, facts that must never change (INTERNALDATE, Message-ID) and which
 * session saw the message as \Recent. DELETE or RENAME of the mailbox forgets it all.
 */
final class MailboxStorage {
    final String name;
    long uidValidity;
    /** Set once two sessions saw the same message as \Recent: imaptest stops checking then. */
    boolean recentTrackingStopped;
    private final Map<Long, MessageFacts> messages = new HashMap<>();

    MailboxStorage(String name) {
        this.name = name;
    }

    MessageFacts message(long uid) {
        return messages.computeIfAbsent(uid, MessageFacts::new);
    }

    void reset() {
        uidValidity = 0;
        recentTrackingStopped = false;
        messages.clear();
    }

    /** Facts about the message with one UID. */
    static final class MessageFacts {
        final long uid;
        /** Epoch seconds and zone of its INTERNALDATE once seen; null before. */
        Long internalDate;
        int internalDateZoneMinutes;
        String messageId;
        /** The session that saw it as \Recent first; 0 for none. */
        int recentSession;

        MessageFacts(long uid) {
            this.uid = uid;
        }
    }
}
