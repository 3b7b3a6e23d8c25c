package org.cartero.smtp.message;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Header field values as Cartero writes them (RFC 5322). */
public final class HeaderFields {
    /** RFC 5322 section 3.3 date-time, with a numeric zone. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ENGLISH);

    private HeaderFields() {}

    public static String date(ZonedDateTime time) {
        return DATE.format(time);
    }

    /** A Message-ID (RFC 5322 section 3.6.4) that names the queue id and the host, so it is unique. */
    public static String messageId(String queueId, String hostname) {
        return "<" + queueId + "@" + hostname + ">";
    }
}
