package org.cartero.store;

/**
 * A folder as LIST shows it. {@code selectable} is false for a name that exists only because it
 * has children (RFC 9051 \Noselect / \NonExistent); {@code specialUse} is null for ordinary folders.
 */
public record FolderInfo(String name, boolean selectable, boolean hasChildren, boolean subscribed,
                         SpecialUse specialUse) {}
