package org.cartero.imap.server;

import org.cartero.store.Folder;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/** The selected mailbox as a search sees it; the session implements it. */
public interface SearchScope {

    /** The mailbox in the store: its messages' metadata ({@link Folder#messages}) and content. */
    Folder folder();

    /**
     * The messages the client knows, in sequence-number order (message n is
     * {@code messages().uidAt(n)}): what sequence numbers and "*" in a search key refer to.
     * It may hold messages that another session expunged and the client has not been told of;
     * the store no longer has them.
     */
    UidList messages();

    /** The saved search result "$" (RFC 5182), as UIDs. */
    UidSet savedResult();

    /** The messages that are \Recent in this session (RFC 3501 section 2.3.2): the RECENT, NEW and OLD keys. */
    UidSet recent();
}
