package org.cartero.imap.imaptest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The messages of a test's mbox file, handed out one after the other and starting over at the
 * end, as imaptest's mbox source does. A message is everything between its From_ line and the
 * next valid From_ line (the empty line before it included), every line ending in CRLF; its
 * date is the one on the From_ line, in the local time zone when the line names none.
 */
final class MboxSource {
    private static final List<String> MONTHS =
            List.of("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
    private static final DateTimeFormatter IMAP_DATE_TIME =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss xx", Locale.ROOT);

    private final Path path;
    private final byte[] data;
    private int nextOffset;

    /** A message to APPEND: its bytes (CRLF line ends) and the date for the APPEND command. */
    record Message(byte[] content, ZonedDateTime date) {
        /** The date as an IMAP date-time, e.g. {@code 22-Feb-2008 17:06:23 +0000}. */
        String imapDate() {
            return IMAP_DATE_TIME.format(date);
        }
    }

    MboxSource(Path path) throws IOException {
        this.path = path;
        this.data = Files.readAllBytes(path);
    }

    /** No message is left before the source would start over. */
    boolean atEnd() {
        return nextOffset >= data.length;
    }

    Message next() throws IOException {
        if (atEnd()) {
            if (nextOffset == 0) {
                throw new IOException("Empty mbox file: " + path);
            }
            nextOffset = 0;
        }
        int lineEnd = lineEnd(nextOffset);
        ZonedDateTime date = lineEnd < 0 ? null : fromLineDate(nextOffset, lineEnd);
        if (date == null) {
            throw new IOException(nextOffset == 0 ? "Not a valid mbox file: " + path
                    : "From-line not found at " + nextOffset + " in " + path);
        }
        int start = lineEnd + 1;
        int end = start;
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (int lineStart = start; (lineEnd = lineEnd(lineStart)) >= 0; lineStart = lineEnd + 1) {
            if (end != start && fromLineDate(lineStart, lineEnd) != null) {
                break;
            }
            int contentEnd = lineEnd > lineStart && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            content.write(data, lineStart, contentEnd - lineStart);
            content.write('\r');
            content.write('\n');
            end = lineEnd + 1;
        }
        if (end == start) {
            throw new IOException("mbox file ends with From-line: " + path);
        }
        nextOffset = end;
        return new Message(content.toByteArray(), date);
    }

    /** Index of the LF ending the line that starts at {@code start}; -1 if there is no full line. */
    private int lineEnd(int start) {
        for (int i = start; i < data.length; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private ZonedDateTime fromLineDate(int start, int end) {
        if (end - start < 5 || !Text.latin1(Arrays.copyOfRange(data, start, start + 5)).equals("From ")) {
            return null;
        }
        int contentEnd = end > start && data[end - 1] == '\r' ? end - 1 : end;
        return parseFromLine(Text.latin1(Arrays.copyOfRange(data, start + 5, contentEnd)));
    }

    /**
     * The date of a From_ line (after "From "): {@code sender  Fri Feb 22 17:06:23 2008}, with an
     * optional numeric zone after the year, or {@code sender Thu, 9 Nov 2002 22:33:52}. A named
     * zone or a zone before the year is skipped. Null when the line is not a From_ line.
     */
    static ZonedDateTime parseFromLine(String line) {
        Cursor at = new Cursor(line);
        if (at.peek() == '"') {
            at.skip(1);
            boolean escaped = false;
            while (!at.atEnd() && (at.peek() != '"' || escaped)) {
                if (at.peek() == '\r' || at.peek() == '\n') {
                    return null;
                }
                escaped = at.peek() == '\\';
                at.skip(1);
            }
            at.skip(1);
        }
        while (!at.atEnd() && at.peek() != ' ') {
            at.skip(1);
        }
        while (at.peek() == ' ') {
            at.skip(1);
        }
        if (line.length() - at.position < 29 - 3 - 5) {
            return null;
        }
        at.skip(4);
        int day;
        int month = at.month();
        int year;
        boolean alternative = month < 0;
        if (alternative) {
            at.skip(1);
            day = at.digits(1);
            if (isDigit(at.peek())) {
                day = day * 10 + at.digits(1);
            }
            if (day < 0 || !at.take(' ')) {
                return null;
            }
            month = at.month();
            if (month < 0) {
                return null;
            }
            at.skip(4);
            year = at.digits(4);
            if (year < 0) {
                return null;
            }
            at.skip(1);
        } else {
            at.skip(4);
            at.take(' ');
            if (at.peekAt(1) == ' ') {
                day = at.digits(1);
                at.skip(1);
            } else {
                day = at.digits(2);
                if (!at.take(' ')) {
                    return null;
                }
            }
            if (day < 0) {
                return null;
            }
            year = 0;
        }
        day = Math.max(day, 1);
        int hour = at.digits(2);
        if (hour < 0 || !at.take(':')) {
            return null;
        }
        int minute = at.digits(2);
        if (minute < 0) {
            return null;
        }
        int second = 0;
        if (at.take(':')) {
            second = at.digits(2);
            if (second < 0 || !alternative && !at.take(' ')) {
                return null;
            }
        } else if (!alternative && !at.take(' ')) {
            return null;
        }
        if (!alternative) {
            if (!isDigit(at.peek()) || !isDigit(at.peekAt(1)) || !isDigit(at.peekAt(2)) || !isDigit(at.peekAt(3))) {
                // a named zone (or a numeric one) before the year: skipped
                while (!at.atEnd() && at.peek() != ' ') {
                    at.skip(1);
                }
                if (line.length() - at.position < 5) {
                    return null;
                }
                at.skip(1);
            }
            year = at.digits(4);
            if (year < 0) {
                return null;
            }
        }
        LocalDateTime local = LocalDateTime.of(year, month + 1, 1, 0, 0)
                .plusDays(day - 1L).plusHours(hour).plusMinutes(minute).plusSeconds(second);
        ZoneOffset offset = at.zoneAfterYear();
        return offset != null ? local.atZone(offset) : local.atZone(ZoneId.systemDefault());
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** A read position in a From_ line; positions past the end read as NUL, like the C string. */
    private static final class Cursor {
        private final String text;
        private int position;

        Cursor(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return position >= text.length();
        }

        char peek() {
            return peekAt(0);
        }

        char peekAt(int ahead) {
            int index = position + ahead;
            return index < text.length() ? text.charAt(index) : '\0';
        }

        void skip(int count) {
            position += count;
        }

        boolean take(char c) {
            if (peek() != c) {
                return false;
            }
            position++;
            return true;
        }

        /** {@code count} decimal digits as a number, or -1 (nothing consumed) if they are not. */
        int digits(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                char c = peekAt(i);
                if (c < '0' || c > '9') {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            position += count;
            return value;
        }

        /** A three-letter month followed by a space: 0..11, or -1 (nothing consumed). */
        int month() {
            if (peekAt(3) != ' ' || position + 3 > text.length()) {
                return -1;
            }
            String name = text.substring(position, position + 3);
            for (int i = 0; i < MONTHS.size(); i++) {
                if (Text.equalsIgnoreCase(MONTHS.get(i), name)) {
                    return i;
                }
            }
            return name.equals("???") ? 0 : -1;
        }

        /** " +hhmm" or " -hhmm" right after the year, or null. */
        ZoneOffset zoneAfterYear() {
            char sign = peekAt(1);
            if (peek() != ' ' || sign != '+' && sign != '-') {
                return null;
            }
            position += 2;
            int hours = digits(2);
            int minutes = hours < 0 ? -1 : digits(2);
            if (minutes < 0) {
                return null;
            }
            int seconds = hours * 3600 + minutes * 60;
            return ZoneOffset.ofTotalSeconds(sign == '-' ? -seconds : seconds);
        }
    }
}
