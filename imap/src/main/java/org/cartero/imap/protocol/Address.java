package org.cartero.imap.protocol;

import java.util.List;

/**
 * An address of an ENVELOPE (RFC 9051 section 7.5.2): a mailbox, or a group of mailboxes
 * (RFC 5322 group syntax), which the envelope writes between a start and an end marker.
 */
public sealed interface Address {

    /**
     * A mailbox: display name, source route (adl, obsolete), local part and domain; each
     * null when absent (NIL).
     */
    record Mailbox(String name, String adl, String mailbox, String host) implements Address {
    }

    /** A group "name: member, member;", written as (NIL NIL "name" NIL) members (NIL NIL NIL NIL). */
    record Group(String name, List<Mailbox> members) implements Address {
        public Group {
            members = List.copyOf(members);
        }
    }
}
