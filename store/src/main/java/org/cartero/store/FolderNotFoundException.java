package org.cartero.store;

/** The folder does not exist (IMAP [NONEXISTENT]). */
public class FolderNotFoundException extends StoreException {
    public FolderNotFoundException(String name) {
        super("no folder named \"" + name + "\"");
    }
}
