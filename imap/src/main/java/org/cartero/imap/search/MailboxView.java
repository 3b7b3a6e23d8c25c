package org.cartero.imap.search;

import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/**
 * The selected folder as one session sees it when a SEARCH, SORT or THREAD command runs. Only
 * the messages of {@code uids} are searched, numbered as the session numbers them, whatever
 * arrived in the store since; "*" is the last of them (RFC 9051 section 9).
 *
 * @param uids the session's messages: sequence number n is {@code uids.uidAt(n)}
 * @param savedResult the UIDs saved by the last SEARCH RETURN (SAVE), which "$" stands for
 *     (RFC 5182); null or empty when there is none
 * @param recent the messages that are \Recent in this session; null or empty for none
 */
public record MailboxView(UidList uids, UidSet savedResult, UidSet recent) {

    public MailboxView {
        if (uids == null) throw new IllegalArgumentException("uids is required");
        if (savedResult == null) savedResult = UidSet.EMPTY;
        if (recent == null) recent = UidSet.EMPTY;
    }
}
