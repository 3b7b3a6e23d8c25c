package org.cartero.imap.protocol;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * IMAP's two date forms (RFC 9051 section 9): "date" of SEARCH ("1-Feb-2024") and "date-time" of
 * APPEND and INTERNALDATE ("01-Feb-2024 13:05:00 +0100").
 */
public final class ImapDates {

    private static final String[] MONTHS =
            {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private ImapDates() {
    }

    /**
     * Parses date-text: date-day "-" date-month "-" date-year, the day one or two digits.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static LocalDate parseDate(String text) {
        int dash = text.indexOf('-');
        if (dash < 1 || dash > 2 || text.length() != dash + 9 || text.charAt(dash + 4) != '-') {
            throw new IllegalArgumentException("\"" + text + "\" is not a date like 1-Feb-2024");
        }
        return date(digits(text, 0, dash), month(text.substring(dash + 1, dash + 4)), digits(text, dash + 5, dash + 9));
    }

    /**
     * Parses date-time (without its quotes): date-day-fixed "-" date-month "-" date-year SP
     * time SP zone. A day of one digit, without the leading space, is accepted too.
     *
     * @throws IllegalArgumentException with the reason
     */
    public static OffsetDateTime parseDateTime(String text) {
        String t = text.startsWith(" ") ? text.substring(1) : text;
        int dash = t.indexOf('-');
        if (dash < 1 || dash > 2 || t.length() != dash + 24 || t.charAt(dash + 4) != '-'
                || t.charAt(dash + 9) != ' ' || t.charAt(dash + 12) != ':' || t.charAt(dash + 15) != ':'
                || t.charAt(dash + 18) != ' ' || (t.charAt(dash + 19) != '+' && t.charAt(dash + 19) != '-')) {
            throw new IllegalArgumentException("\"" + text + "\" is not a date-time like 01-Feb-2024 13:05:00 +0100");
        }
        LocalDate date = date(digits(t, 0, dash), month(t.substring(dash + 1, dash + 4)), digits(t, dash + 5, dash + 9));
        int hour = digits(t, dash + 10, dash + 12);
        int minute = digits(t, dash + 13, dash + 15);
        int second = digits(t, dash + 16, dash + 18);
        int zoneHours = digits(t, dash + 20, dash + 22);
        int zoneMinutes = digits(t, dash + 22, dash + 24);
        int sign = t.charAt(dash + 19) == '-' ? -1 : 1;
        try {
            ZoneOffset zone = ZoneOffset.ofHoursMinutes(sign * zoneHours, sign * zoneMinutes);
            // a leap second (60) is legal in date-time; it is carried as the next second
            int carry = second == 60 ? 1 : 0;
            return OffsetDateTime.of(date.getYear(), date.getMonthValue(), date.getDayOfMonth(),
                    hour, minute, second - carry, 0, zone).plusSeconds(carry);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("\"" + text + "\" has an invalid time or zone");
        }
    }

    /** Formats a date-time as INTERNALDATE shows it: "01-Feb-2024 13:05:00 +0100". */
    public static String formatDateTime(OffsetDateTime time) {
        int offset = time.getOffset().getTotalSeconds() / 60;
        return String.format(Locale.ROOT, "%02d-%s-%04d %02d:%02d:%02d %c%02d%02d",
                time.getDayOfMonth(), MONTHS[time.getMonthValue() - 1], time.getYear(),
                time.getHour(), time.getMinute(), time.getSecond(),
                offset < 0 ? '-' : '+', Math.abs(offset) / 60, Math.abs(offset) % 60);
    }

    private static LocalDate date(int day, int month, int year) {
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("day " + day + " does not exist in " + MONTHS[month - 1] + " " + year);
        }
    }

    private static int month(String name) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (MONTHS[i].equalsIgnoreCase(name)) return i + 1;
        }
        throw new IllegalArgumentException("\"" + name + "\" is not a month name (Jan ... Dec)");
    }

    private static int digits(String text, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException("\"" + c + "\" where a digit was expected in \"" + text + "\"");
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
