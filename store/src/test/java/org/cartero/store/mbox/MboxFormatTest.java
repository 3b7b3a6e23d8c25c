package org.cartero.store.mbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.cartero.store.Flags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MboxFormatTest {

    static String quote(String text, int chunk) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuotingOutputStream q = new QuotingOutputStream(out);
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i += chunk) q.write(b, i, Math.min(chunk, b.length - i));
        q.finish();
        assertThat(q.written()).isEqualTo(out.size());
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    static String unquote(String text) throws Exception {
        return new String(new UnquotingInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1))).readAllBytes(),
                StandardCharsets.ISO_8859_1);
    }

    static final String BODY = "From the start\nx\n>From quoted\n>>From twice\nFrom\nFromage\n> From no\n>\n>>\nFrom ";

    @Test
    void mboxrdQuotesEveryFromLineAndUnquotesExactly() throws Exception {
        String expected = ">From the start\nx\n>>From quoted\n>>>From twice\nFrom\nFromage\n> From no\n>\n>>\n>From ";
        for (int chunk = 1; chunk <= 9; chunk++) assertThat(quote(BODY, chunk)).as("chunk " + chunk).isEqualTo(expected);
        assertThat(unquote(expected)).isEqualTo(BODY);
    }

    @Test
    void unquotingLongLinesAndLongInputs() throws Exception {
        String big = ("x".repeat(20_000) + "\nFrom here\n").repeat(5);
        String quoted = quote(big, 4096);
        assertThat(unquote(quoted)).isEqualTo(big);
    }

    @Test
    void unquotingReadsOfEverySizeAcrossBufferBoundaries() throws Exception {
        Random random = new Random(7);
        String[] lines = {"From x", ">From y", ">>From z", "From", ">", "text", "", ">> From no", "F", ">Fro"};
        for (int round = 0; round < 50; round++) {
            StringBuilder sb = new StringBuilder();
            while (sb.length() < 30_000) {
                sb.append(random.nextInt(8) == 0 ? "x".repeat(random.nextInt(9000)) : lines[random.nextInt(lines.length)]).append('\n');
            }
            String original = sb.toString();
            UnquotingInputStream in = new UnquotingInputStream(
                    new ByteArrayInputStream(quote(original, 4096).getBytes(StandardCharsets.ISO_8859_1)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[10_000];
            for (int n; (n = in.read(buf, 0, 1 + random.nextInt(round % 2 == 0 ? 3 : buf.length))) >= 0; ) out.write(buf, 0, n);
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(original);
        }
    }

    @Test
    void fromLineDatesRoundTrip() {
        Instant t = Instant.parse("2026-03-04T05:06:07Z");
        String line = new String(FromLine.format("a@b", t), StandardCharsets.US_ASCII).trim();
        assertThat(line).startsWith("From a@b ");
        assertThat(FromLine.date(line)).isEqualTo(t);
        assertThat(new String(FromLine.format("", t), StandardCharsets.US_ASCII)).startsWith("From MAILER-DAEMON ");
        assertThat(FromLine.date("From someone")).isNull();
    }

    @Test
    void scannerSplitsMessagesAndReadsStatusHeaders(@TempDir Path dir) throws Exception {
        String mbox = "From a@b Thu Nov 26 14:01:29 2026\nSubject: one\nStatus: RO\nX-Status: AF\n\nbody\n>From here\n\n"
                + "From c@d Thu Nov 26 14:02:00 2026\nSubject: two\n\nsecond\n\n";
        List<MboxScanner.Scanned> found = scan(dir, mbox, true);
        assertThat(found).hasSize(2);
        MboxScanner.Scanned one = found.get(0);
        assertThat(mbox.substring((int) one.contentOffset(), (int) one.endOffset()))
                .isEqualTo("Subject: one\nStatus: RO\nX-Status: AF\n\nbody\n>From here\n");
        assertThat(one.structure().storedSize()).isEqualTo("Subject: one\nStatus: RO\nX-Status: AF\n\nbody\nFrom here\n".length());
        assertThat(one.statusFlags().system()).isEqualTo(Flags.SEEN | Flags.ANSWERED | Flags.FLAGGED);
        assertThat(one.date()).isNotEqualTo(Instant.EPOCH);
        assertThat(found.get(1).structure().envelope().subject()).isEqualTo("two");
        assertThat(found.get(1).endOffset()).isEqualTo(mbox.length() - 1);
    }

    @Test
    void aFromLineWithADateSeparatesEvenWithoutAnEmptyLineBefore(@TempDir Path dir) throws Exception {
        String mbox = "From a@b Thu Nov 26 14:01:29 2026\nSubject: one\n\ntext\nFrom here on, text\n"
                + "From c@d Thu Nov 26 14:02:00 2026\nSubject: two\n\nsecond\n";
        assertThat(scan(dir, mbox, true)).extracting(s -> s.structure().envelope().subject()).containsExactly("one", "two");
    }

    @Test
    void fingerprintIgnoresStatusRewritesButNotContent(@TempDir Path dir) throws Exception {
        String a = "From x Thu Nov 26 14:01:29 2026\nSubject: s\n\nbody\n\n";
        String b = "From x Thu Nov 26 14:01:29 2026\nSubject: s\nStatus: RO\n\nbody\n\n";
        String c = "From x Thu Nov 26 14:01:29 2026\nSubject: s\n\nbodY!\n\n";
        assertThat(fingerprint(dir, a)).isEqualTo(fingerprint(dir, b)).isNotEqualTo(fingerprint(dir, c));
    }

    private static long fingerprint(Path dir, String mbox) throws Exception {
        return scan(dir, mbox, false).get(0).fingerprint();
    }

    /** Writes an mbox file and scans it. */
    private static List<MboxScanner.Scanned> scan(Path dir, String mbox, boolean parse) throws Exception {
        Path file = Files.createTempFile(dir, "mbox", "");
        Files.writeString(file, mbox, StandardCharsets.ISO_8859_1);
        List<MboxScanner.Scanned> found = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MboxScanner.scan(ch, 0, ch.size(), Instant.EPOCH, parse, found::add);
        }
        return found;
    }
}
