package org.cartero.store;

/** A folder name that cannot be stored or that a client may not use (IMAP [CANNOT]). */
public class InvalidFolderNameException extends StoreException {
    public InvalidFolderNameException(String name, String reason) {
        super("invalid folder name \"" + printable(name) + "\": " + reason);
    }

    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }
}
