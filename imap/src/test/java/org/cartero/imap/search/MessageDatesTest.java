package org.cartero.imap.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.cartero.store.mime.Envelope;
import org.junit.jupiter.api.Test;

class MessageDatesTest {

    @Test
    void readsTheRfc5322FormKeepingTheZone() {
        assertThat(MessageDates.parse("Sat, 24 Mar 2007 23:00:00 +0200"))
                .isEqualTo(OffsetDateTime.of(2007, 3, 24, 23, 0, 0, 0, ZoneOffset.ofHours(2)));
        assertThat(MessageDates.parse("Mon, 29 Oct 2007 00:00:00 -0730"))
                .isEqualTo(OffsetDateTime.of(2007, 10, 29, 0, 0, 0, 0, ZoneOffset.ofHoursMinutes(-7, -30)));
    }

    @Test
    void readsObsoleteAndSloppyForms() {
        OffsetDateTime expected = OffsetDateTime.of(1999, 1, 5, 8, 7, 0, 0, ZoneOffset.ofHours(-5));
        assertThat(MessageDates.parse("5 Jan 99 08:07 EST")).isEqualTo(expected);
        assertThat(MessageDates.parse("Tuesday,  5 January 1999 08:07:00 -0500 (EST)")).isEqualTo(expected);
        assertThat(MessageDates.parse("Tue, 05 Jan 1999 13:07:00 GMT")).isEqualTo(expected.withOffsetSameInstant(ZoneOffset.UTC));
        assertThat(MessageDates.parse("Tue, 5 Jan 2049 08:07:00 PDT").getYear()).isEqualTo(2049);
        assertThat(MessageDates.parse("5 Jan 49 08:07:00 +0000").getYear()).isEqualTo(2049);
        assertThat(MessageDates.parse("5 Jan 103 08:07:00 +0000").getYear()).isEqualTo(2003);
        // a missing or military zone is "-0000": UTC
        assertThat(MessageDates.parse("5 Jan 2001 08:07:00").getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(MessageDates.parse("5 Jan 2001 08:07:00 Q").getOffset()).isEqualTo(ZoneOffset.UTC);
        assertThat(MessageDates.parse("31 Dec 2016 23:59:60 +0000").getSecond()).isEqualTo(59);
    }

    @Test
    void refusesWhatIsNotADate() {
        assertThat(MessageDates.parse(null)).isNull();
        assertThat(MessageDates.parse("")).isNull();
        assertThat(MessageDates.parse("yesterday")).isNull();
        assertThat(MessageDates.parse("32 Jan 2001 00:00:00 +0000")).isNull();
        assertThat(MessageDates.parse("1 Foo 2001 00:00:00 +0000")).isNull();
        assertThat(MessageDates.parse("1 Jan 2001")).isNull();
        assertThat(MessageDates.parse("1 Jan 2001 25:00:00 +0000")).isNull();
    }

    @Test
    void theSentDateFallsBackToTheInternalDate() {
        Instant internal = Instant.parse("2020-01-02T03:04:05Z");
        assertThat(MessageDates.sentDate(envelopeWithDate("Wed, 1 Jan 2020 00:00:00 +0100"), internal))
                .isEqualTo(Instant.parse("2019-12-31T23:00:00Z").toEpochMilli());
        assertThat(MessageDates.sentDate(envelopeWithDate("garbage"), internal)).isEqualTo(internal.toEpochMilli());
        assertThat(MessageDates.sentDate(envelopeWithDate(null), internal)).isEqualTo(internal.toEpochMilli());
    }

    private static Envelope envelopeWithDate(String date) {
        return new Envelope(date, null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null, null, null, null);
    }
}
