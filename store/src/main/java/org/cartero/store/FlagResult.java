package org.cartero.store;

import java.util.List;

/**
 * The outcome of a flag change. {@code updated} holds every message of the set that still
 * exists, with its flags and MODSEQ after the change ({@code changed} tells whether this call
 * changed it); {@code failed} the UIDs refused because their MODSEQ was above UNCHANGEDSINCE
 * (RFC 7162 section 3.1.3: the MODIFIED response code).
 */
public record FlagResult(List<Update> updated, UidSet failed) {

    public record Update(long uid, Flags flags, long modseq, boolean changed) {}
}
