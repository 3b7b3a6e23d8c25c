package org.cartero.imap.server;

import java.io.IOException;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.store.UidSet;

/**
 * What the session needs to answer SEARCH, SORT and THREAD: the evaluation of a parsed search
 * program over the selected mailbox. The session encodes the results (SEARCH, ESEARCH with its
 * return options, SAVE, CONTEXT updates, SORT, ESORT, THREAD); the engine only finds and orders
 * messages. Results are UIDs; the session turns them into sequence numbers where the command
 * asks for those.
 */
public interface SearchEngine {

    /**
     * The capabilities the engine adds to the session's, e.g. "SORT", "SORT=DISPLAY",
     * "THREAD=REFERENCES", "ESORT", "CONTEXT=SORT" (empty when it cannot sort or thread).
     */
    List<String> capabilities();

    /**
     * The messages among {@code candidates} that match {@code key} (RFC 9051 section 6.4.4).
     * Sequence numbers and "$" in the key refer to the scope's messages, whatever the candidates.
     *
     * @param candidates UIDs of the scope's messages to consider; messages the store no longer
     *     has (expunged, not yet reported) never match
     */
    UidSet search(SearchScope scope, UidSet candidates, SearchKey key) throws IOException, SearchException;

    /** The matching messages in the order of {@code criteria} (RFC 5256 section 3, RFC 5957), as UIDs. */
    long[] sort(SearchScope scope, UidSet candidates, List<Command.SortCriterion> criteria, SearchKey key)
            throws IOException, SearchException;

    /**
     * The threads of the matching messages (RFC 5256 section 3): each node's {@code message} is
     * a UID, 0 for a parent that is missing or does not match.
     */
    List<Response.ThreadNode> thread(SearchScope scope, Command.ThreadAlgorithm algorithm, SearchKey key)
            throws IOException, SearchException;
}
