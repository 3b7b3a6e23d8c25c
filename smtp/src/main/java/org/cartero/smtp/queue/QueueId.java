package org.cartero.smtp.queue;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Queue ids: 15 characters of Crockford's base32, the first 11 the microseconds since the epoch
 * and the last 4 random, so that ids sort by arrival and two processes (the server and
 * {@code cartero sendmail}) do not collide. They are also the file names in the queue.
 */
public final class QueueId {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final Pattern VALID = Pattern.compile("[0-9A-HJKMNP-TV-Z]{15}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong LAST = new AtomicLong();

    private QueueId() {}

    public static String next() {
        long now = System.currentTimeMillis() * 1000 + System.nanoTime() / 1000 % 1000;
        long micros = LAST.updateAndGet(last -> Math.max(last + 1, now));
        char[] id = new char[15];
        for (int i = 10; i >= 0; i--) {
            id[i] = ALPHABET[(int) (micros & 31)];
            micros >>>= 5;
        }
        int random = RANDOM.nextInt(1 << 20);
        for (int i = 14; i >= 11; i--) {
            id[i] = ALPHABET[random & 31];
            random >>>= 5;
        }
        return new String(id);
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
