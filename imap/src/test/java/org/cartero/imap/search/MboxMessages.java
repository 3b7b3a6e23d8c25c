package org.cartero.imap.search;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages of an imaptest .mbox file as imaptest appends them: each runs from its From_ line
 * to the next one (the empty line before it included), with CRLF line ends, and its internal
 * date is the From_ line's date ("Fri Feb 22 17:06:23 2008", with an optional "+0200" zone;
 * local time without one).
 */
record MboxMessages(List<byte[]> contents, List<Instant> dates) {
    private static final Pattern FROM_LINE = Pattern.compile(
            "^From \\S+\\s+\\w{3} (\\w{3} +\\d{1,2} \\d{2}:\\d{2}:\\d{2} \\d{4})(?: ([+-]\\d{4}))?");
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    static MboxMessages read(Path mbox) throws IOException {
        List<byte[]> contents = new ArrayList<>();
        List<Instant> dates = new ArrayList<>();
        ByteArrayOutputStream current = null;
        for (String line : Files.readAllLines(mbox, StandardCharsets.ISO_8859_1)) {
            Matcher from = FROM_LINE.matcher(line);
            if (from.find()) {
                if (current != null) contents.add(current.toByteArray());
                current = new ByteArrayOutputStream();
                dates.add(date(from.group(1), from.group(2)));
                continue;
            }
            if (current == null) throw new IOException(mbox + " does not start with a From_ line");
            current.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        if (current != null) contents.add(current.toByteArray());
        return new MboxMessages(contents, dates);
    }

    private static Instant date(String ctime, String zone) {
        LocalDateTime local = LocalDateTime.parse(ctime.replaceAll(" +", " ").replaceFirst(" (\\d) ", "  $1 "), CTIME);
        return zone == null ? local.atZone(ZoneId.systemDefault()).toInstant() : local.atOffset(ZoneOffset.of(zone)).toInstant();
    }

    int size() {
        return contents.size();
    }
}
