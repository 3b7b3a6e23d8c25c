package org.cartero.store;

/** UIDs of appended messages in order of appending: RFC 4315 APPENDUID. */
public record AppendResult(long uidValidity, UidSet uids) {}
