package org.cartero.imap.search;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.cartero.store.mime.Envelope;

/**
 * Parses the Date header field (RFC 5322 section 3.3) leniently, as mail readers must: the day
 * of the week is optional and not checked, comments are ignored, and the obsolete forms of
 * section 4.3 are read (two- and three-digit years, seconds left out, the zone names of North
 * America; military zones and a missing zone count as "-0000", that is UTC with no local time
 * known). The zone is kept: SENTBEFORE, SENTON and SENTSINCE compare the date as written
 * (RFC 9051 section 6.4.4, "disregarding time and timezone").
 */
final class MessageDates {
    private static final List<String> MONTHS =
            List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");

    private MessageDates() {
    }

    /**
     * The sent date that SORT DATE and THREAD order by (RFC 5256 section 2.2), in epoch
     * milliseconds: the Date field's, or the internal date when it is missing or unreadable.
     */
    static long sentDate(Envelope envelope, Instant internalDate) {
        OffsetDateTime sent = parse(envelope.date());
        return sent != null ? sent.toInstant().toEpochMilli() : internalDate.toEpochMilli();
    }

    /** The date and time of a Date field value, or null when it cannot be understood. */
    static OffsetDateTime parse(String value) {
        if (value == null) return null;
        List<String> tokens = tokens(value);
        int i = 0;
        if (i < tokens.size() && isLetters(tokens.get(i))) i++; // day of week
        if (i + 3 > tokens.size()) return null;
        int day = number(tokens.get(i++));
        int month = month(tokens.get(i++));
        int year = number(tokens.get(i++));
        if (day < 0 || month < 0 || year < 0) return null;
        year = fullYear(year, tokens.get(i - 1).length());
        if (i >= tokens.size() || tokens.get(i).indexOf(':') <= 0) return null;
        String[] time = tokens.get(i++).split(":", -1);
        if (time.length > 3) return null;
        int hour = number(time[0]);
        int minute = number(time[1]);
        int second = time.length == 3 ? number(time[2]) : 0;
        if (hour < 0 || minute < 0 || second < 0) return null;
        ZoneOffset zone = i < tokens.size() ? zone(tokens.get(i)) : ZoneOffset.UTC;
        if (zone == null) zone = ZoneOffset.UTC;
        try {
            // RFC 5322 allows a leap second ("60"); it is read as the last second of the minute.
            return OffsetDateTime.of(year, month, day, hour, minute, Math.min(second, 59), 0, zone);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The words of a value, comments and commas removed. */
    private static List<String> tokens(String value) {
        List<String> tokens = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && depth > 0) {
                depth--;
            } else if (depth == 0 && (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',')) {
                if (!word.isEmpty()) tokens.add(word.toString());
                word.setLength(0);
            } else if (depth == 0) {
                word.append(c);
            }
        }
        if (!word.isEmpty()) tokens.add(word.toString());
        return tokens;
    }

    private static boolean isLetters(String token) {
        return !token.isEmpty() && token.chars().allMatch(Character::isLetter);
    }

    /** A non-negative decimal number of at most 9 digits, or -1. */
    private static int number(String token) {
        if (token.isEmpty() || token.length() > 9) return -1;
        int n = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** 1 to 12 for a month name (its first three letters suffice), or -1. */
    private static int month(String token) {
        if (token.length() < 3) return -1;
        int index = MONTHS.indexOf(token.substring(0, 3).toUpperCase(Locale.ROOT));
        return index < 0 ? -1 : index + 1;
    }

    /** RFC 5322 section 4.3: a two-digit year below 50 is 20xx, otherwise 19xx; a three-digit year adds 1900. */
    private static int fullYear(int year, int digits) {
        if (digits == 2) return year < 50 ? 2000 + year : 1900 + year;
        if (digits == 3) return 1900 + year;
        return year;
    }

    /** "+hhmm", "-hhmm" or an obsolete zone name (RFC 5322 section 4.3); null when not a zone. */
    private static ZoneOffset zone(String token) {
        if (token.length() == 5 && (token.charAt(0) == '+' || token.charAt(0) == '-')) {
            int hhmm = number(token.substring(1));
            if (hhmm < 0 || hhmm % 100 > 59 || hhmm / 100 > 18) return null;
            int seconds = (hhmm / 100) * 3600 + (hhmm % 100) * 60;
            return ZoneOffset.ofTotalSeconds(token.charAt(0) == '-' ? -seconds : seconds);
        }
        return switch (token.toUpperCase(Locale.ROOT)) {
            case "UT", "GMT", "Z" -> ZoneOffset.UTC;
            case "EDT" -> ZoneOffset.ofHours(-4);
            case "EST", "CDT" -> ZoneOffset.ofHours(-5);
            case "CST", "MDT" -> ZoneOffset.ofHours(-6);
            case "MST", "PDT" -> ZoneOffset.ofHours(-7);
            case "PST" -> ZoneOffset.ofHours(-8);
            default -> null; // military and unknown zones: "-0000"
        };
    }
}
