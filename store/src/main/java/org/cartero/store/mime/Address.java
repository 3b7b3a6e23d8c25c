package org.cartero.store.mime;

/**
 * One entry of an address list in the shape of an IMAP address structure (RFC 9051 section
 * 7.5.2, "addr-name addr-adl addr-mailbox addr-host"). The name is the display name with quotes
 * removed and encoded words left as they were written. A group is written the IMAP way: a start
 * entry with only {@code mailbox} (the group name) set, and an end entry with all four null.
 */
public record Address(String name, String route, String mailbox, String host) {

    public static Address groupStart(String groupName) {
        return new Address(null, null, groupName, null);
    }

    public static final Address GROUP_END = new Address(null, null, null, null);

    public boolean isGroupStart() {
        return host == null && mailbox != null && name == null && route == null;
    }

    public boolean isGroupEnd() {
        return name == null && route == null && mailbox == null && host == null;
    }

    /** "mailbox@host", or the mailbox alone when there is no host. */
    public String address() {
        return host == null ? mailbox : mailbox + "@" + host;
    }
}
