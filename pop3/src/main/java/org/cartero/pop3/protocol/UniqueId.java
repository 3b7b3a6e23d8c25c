package org.cartero.pop3.protocol;

/**
 * A message's unique-id for UIDL (RFC 1939 section 7): the store's UID and the folder's
 * UIDVALIDITY, each as eight upper-case hex digits. Both numbers never change for a message, so
 * neither does its unique-id: a client that leaves mail on the server downloads each message
 * once. If UIDVALIDITY ever changes (the store lost its index and could not keep UIDs), every
 * unique-id changes with it, and clients fetch the maildrop again instead of missing mail.
 *
 * <p>It is Dovecot's default format (pop3_uidl_format = %08Xu%08Xv): 16 characters, within the
 * 1 to 70 characters in the range 0x21 to 0x7E that RFC 1939 allows.
 */
public final class UniqueId {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UniqueId() {}

    public static String of(long uidValidity, long uid) {
        char[] id = new char[16];
        hex(uid, id, 0);
        hex(uidValidity, id, 8);
        return new String(id);
    }

    /** Eight hex digits of an unsigned 32-bit number. */
    private static void hex(long value, char[] into, int at) {
        if (value < 0 || value > 0xFFFF_FFFFL) throw new IllegalArgumentException("not a 32-bit unsigned number: " + value);
        for (int i = 7; i >= 0; i--) {
            into[at + i] = HEX[(int) (value & 0xF)];
            value >>>= 4;
        }
    }
}
