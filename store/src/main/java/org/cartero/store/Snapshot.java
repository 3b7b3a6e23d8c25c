package org.cartero.store;

/**
 * A folder as one session first sees it: its status and the UIDs of its messages at
 * {@code status().highestModseq()}. The session then follows {@link Folder#changesSince}.
 */
public record Snapshot(FolderStatus status, UidList uids) {}
