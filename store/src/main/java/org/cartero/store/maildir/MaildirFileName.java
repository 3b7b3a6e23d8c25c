package org.cartero.store.maildir;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A Maildir message file name (https://cr.yp.to/proto/maildir.html and Maildir++):
 * {@code UNIQUE[,S=stored][,W=wire][,U=uid][:2,FLAGS]}. The unique part identifies the message
 * for its whole life; the ",S=" and ",W=" sizes follow Dovecot; ",U=" carries the IMAP UID so
 * that a lost index can be rebuilt with every UID kept. Flags after ":2," are letters in ASCII
 * order: system flags in upper case, keywords as lower-case letters (see {@link KeywordLetters}).
 */
public record MaildirFileName(String base, String info) {
    private static final AtomicLong COUNTER = new AtomicLong();

    /** Parses a directory entry; {@code info} is null when the name has no ":2," part. */
    public static MaildirFileName parse(String fileName) {
        int colon = fileName.indexOf(':');
        if (colon < 0) return new MaildirFileName(fileName, null);
        String rest = fileName.substring(colon + 1);
        return new MaildirFileName(fileName.substring(0, colon), rest.startsWith("2,") ? rest.substring(2) : null);
    }

    /** A new unique name: seconds.M{micros}P{pid}Q{counter}.host, the form Dovecot writes. */
    public static String newUnique(String host) {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + ProcessHandle.current().pid()
                + "Q" + COUNTER.incrementAndGet() + "." + escapeHost(host);
    }

    /** The Maildir spec asks "/" and ":" in the host name to be written \057 and \072. */
    static String escapeHost(String host) {
        return host.replace("/", "\\057").replace(":", "\\072").replace(",", "\\054");
    }

    public static MaildirFileName of(String unique, long storedSize, long wireSize, long uid, String info) {
        return new MaildirFileName(unique + ",S=" + storedSize + ",W=" + wireSize + ",U=" + uid, info);
    }

    public String fileName() {
        return info == null ? base : base + ":2," + info;
    }

    /** The part before any ",field": what stays the same when flags or fields change. */
    public String unique() {
        int comma = base.indexOf(',');
        return comma < 0 ? base : base.substring(0, comma);
    }

    /** The UID written in the name, or 0. */
    public long uid() {
        return field("U");
    }

    /** The stored size written in the name (",S="), or -1. */
    public long storedSize() {
        long v = field("S");
        return v == 0 && !base.contains(",S=0") ? -1 : v;
    }

    private long field(String key) {
        String marker = "," + key + "=";
        int at = base.indexOf(marker);
        if (at < 0) return 0;
        int start = at + marker.length();
        int end = start;
        while (end < base.length() && Character.isDigit(base.charAt(end))) end++;
        if (end == start || end - start > 12) return 0;
        return Long.parseLong(base.substring(start, end));
    }

    /** This name with ",U=uid" set (added, or replacing an existing one). */
    public MaildirFileName withUid(long uid) {
        String marker = ",U=";
        int at = base.indexOf(marker);
        String b = base;
        if (at >= 0) {
            int end = at + marker.length();
            while (end < b.length() && Character.isDigit(b.charAt(end))) end++;
            b = b.substring(0, at) + b.substring(end);
        }
        return new MaildirFileName(b + marker + uid, info);
    }

    public MaildirFileName withInfo(String newInfo) {
        return new MaildirFileName(base, newInfo);
    }
}
