package org.cartero.store;

/** A folder of that name exists already (IMAP [ALREADYEXISTS]). */
public class FolderExistsException extends StoreException {
    public FolderExistsException(String name) {
        super("a folder named \"" + name + "\" exists already");
    }
}
