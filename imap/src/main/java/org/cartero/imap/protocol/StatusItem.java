package org.cartero.imap.protocol;

/** A STATUS data item (RFC 9051 section 6.3.11 and the extensions that add items). */
public enum StatusItem {
    MESSAGES("MESSAGES"),
    /** IMAP4rev1 only (RFC 3501). */
    RECENT("RECENT"),
    UIDNEXT("UIDNEXT"),
    UIDVALIDITY("UIDVALIDITY"),
    UNSEEN("UNSEEN"),
    /** RFC 9051: messages with \Deleted. */
    DELETED("DELETED"),
    /** RFC 8438 (STATUS=SIZE), part of RFC 9051: the mailbox size in octets. */
    SIZE("SIZE"),
    /** RFC 7162. */
    HIGHESTMODSEQ("HIGHESTMODSEQ"),
    /** RFC 7889: the mailbox's APPENDLIMIT (NIL for none). */
    APPENDLIMIT("APPENDLIMIT"),
    /** RFC 9208: the storage freed by expunging the \Deleted messages. */
    DELETED_STORAGE("DELETED-STORAGE");

    private final String atom;

    StatusItem(String atom) {
        this.atom = atom;
    }

    /** The item's name on the wire. */
    public String atom() {
        return atom;
    }

    /** The item with this name (any case), or null. */
    public static StatusItem of(String name) {
        for (StatusItem item : values()) {
            if (item.atom.equalsIgnoreCase(name)) return item;
        }
        return null;
    }
}
