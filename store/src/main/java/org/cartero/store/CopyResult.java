package org.cartero.store;

/**
 * UIDs given to copied or moved messages: {@code sourceUids} and {@code targetUids} pair up in
 * order, as RFC 4315 section 3 COPYUID reports them.
 */
public record CopyResult(long targetUidValidity, UidSet sourceUids, UidSet targetUids) {}
