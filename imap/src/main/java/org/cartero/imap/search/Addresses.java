package org.cartero.imap.search;

import java.util.List;
import org.cartero.store.mime.Address;

/**
 * What SEARCH and SORT see of an address list (From, To, Cc, Bcc), taken from the envelope the
 * store parsed: a group is written IMAP's way, a start entry with the group name as mailbox and
 * an end entry with nothing (RFC 9051 section 7.5.2), and display names keep their encoded words.
 */
final class Addresses {

    private Addresses() {
    }

    /**
     * The list as one line, the way Dovecot matches FROM, TO, CC and BCC: each address as
     * {@code Name <mailbox@host>} (display names decoded, comments dropped) or
     * {@code mailbox@host}, separated by ", ", a group as {@code name: member, member;}. A search
     * string thus finds a display name, an address, or part of either.
     */
    static String searchText(List<Address> addresses) {
        StringBuilder out = new StringBuilder();
        boolean groupOpen = false;
        boolean firstInGroup = false;
        for (Address address : addresses) {
            if (address.isGroupEnd()) {
                out.append(';');
                groupOpen = false;
                continue;
            }
            if (groupOpen) {
                out.append(firstInGroup ? " " : ", ");
            } else if (!out.isEmpty()) {
                out.append(", ");
            }
            firstInGroup = false;
            if (address.isGroupStart()) {
                out.append(HeaderText.decode(address.mailbox())).append(':');
                groupOpen = true;
                firstInGroup = true;
                continue;
            }
            String name = HeaderText.decode(address.name());
            String spec = address.address() == null ? "" : address.address();
            if (name != null && !name.isEmpty()) {
                out.append(name).append(" <").append(spec).append('>');
            } else {
                out.append(spec);
            }
        }
        return out.toString();
    }

    /**
     * The SORT key of FROM, TO and CC (RFC 5256 BASE.6.4.SORT): the addr-mailbox of the first address
     * structure, a group's name when the list starts with a group; "" when there is none.
     */
    static String firstMailbox(List<Address> addresses) {
        if (addresses.isEmpty() || addresses.getFirst().mailbox() == null) return "";
        return addresses.getFirst().mailbox();
    }

    /**
     * The SORT key of DISPLAYFROM and DISPLAYTO (RFC 5957 section 3): the decoded display name of
     * the first address, or its addr-spec when it has none (a group's name for a group); "" when
     * there is none.
     */
    static String firstDisplayName(List<Address> addresses) {
        if (addresses.isEmpty()) return "";
        Address first = addresses.getFirst();
        String name = HeaderText.decode(first.name());
        if (name != null && !name.isEmpty()) return name;
        return first.address() == null ? "" : HeaderText.decode(first.address());
    }
}
