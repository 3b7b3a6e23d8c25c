package org.cartero.store;

/** The message was expunged (by another session or program) before it could be read. */
public class MessageGoneException extends StoreException {
    public MessageGoneException(long uid) {
        super("message UID " + uid + " has been expunged");
    }
}
