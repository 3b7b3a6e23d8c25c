package org.cartero.imap.server;

import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.FolderExistsException;
import org.cartero.store.FolderNotFoundException;
import org.cartero.store.InvalidFolderNameException;
import org.cartero.store.MailboxLockedException;
import org.cartero.store.MessageGoneException;
import org.cartero.store.OverQuotaException;
import org.cartero.store.StorageFullException;
import org.cartero.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** How a failed store operation is told to the client: NO with an RFC 5530 response code. */
final class Failures {

    private static final Logger log = LoggerFactory.getLogger(Failures.class);

    private Failures() {
    }

    /** The NO for a store failure that the client can understand. */
    static ImapException toImap(StoreException e) {
        ResponseCode code = switch (e) {
            case FolderNotFoundException n -> ResponseCode.NONEXISTENT;
            case FolderExistsException x -> ResponseCode.ALREADYEXISTS;
            case InvalidFolderNameException i -> ResponseCode.CANNOT;
            case OverQuotaException q -> ResponseCode.OVERQUOTA;
            case MessageGoneException g -> ResponseCode.EXPUNGEISSUED;
            case MailboxLockedException l -> ResponseCode.INUSE;
            case StorageFullException f -> ResponseCode.UNAVAILABLE;
            default -> e.isTemporary() ? ResponseCode.UNAVAILABLE : ResponseCode.SERVERBUG;
        };
        if (code == ResponseCode.SERVERBUG) log.error("store failure", e);
        return ImapException.no(code, capitalized(e.getMessage()));
    }

    /**
     * The tagged NO for a command that failed unexpectedly (the store could not be read, a bug):
     * logged in full, told to the client as SERVERBUG without details.
     */
    static StatusResponse toResponse(String tag, Exception e, Session session) {
        if (e instanceof StoreException store) return toImap(store).response(tag);
        log.error("{}: command failed", session.connection, e);
        return StatusResponse.no(tag, ResponseCode.SERVERBUG, "Internal error; the administrator can find it in the log");
    }

    private static String capitalized(String text) {
        if (text == null || text.isEmpty()) return "Failed";
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
