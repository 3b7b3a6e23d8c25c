package org.cartero.store.mbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The "From " line that starts each message of an mbox: "From SENDER DATE", the date in
 * ctime(3) form ("Thu Nov 26 14:01:29 2026", local time), as /bin/mail, procmail and mutt write
 * it (https://www.loc.gov/preservation/digital/formats/fdd/fdd000383.shtml, RFC 4155).
 */
public final class FromLine {
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    private FromLine() {}

    /** The line for a message from {@code sender} (empty or null: MAILER-DAEMON), with its LF. */
    public static byte[] format(String sender, Instant date) {
        String s = sender == null || sender.isBlank() ? "MAILER-DAEMON" : sender.replaceAll("[\\s]", "_");
        String line = "From " + s + " " + CTIME.format(LocalDateTime.ofInstant(date, ZoneId.systemDefault())) + "\n";
        return line.getBytes(StandardCharsets.UTF_8);
    }

    /** The date of a From_ line (without its LF), or null when it has none that parses. */
    public static Instant date(String line) {
        // "From sender Www Mmm dd hh:mm:ss yyyy" and variants with a zone or "remote from": the
        // date is the 24 characters after the sender.
        String[] words = line.trim().split("\\s+");
        for (int i = 2; i + 5 <= words.length; i++) {
            String candidate = String.format("%s %s %2s %s %s", words[i], words[i + 1], words[i + 2], words[i + 3], words[i + 4]);
            try {
                return LocalDateTime.parse(candidate, CTIME).atZone(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                // try the next position: the sender may have contained spaces
            }
        }
        return null;
    }
}
