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

    /** The folder's UIDVALIDITY when it was selected. */
    long uidValidity();

    /**
     * Who searches: one session, which selects one folder at a time. What an engine keeps of a
     * folder may be handed on to the same owner's next selection of that folder.
     */
    Object owner();
}
