package org.cartero.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.client.RecipientOutcome.Deferred;
import org.cartero.smtp.client.RecipientOutcome.Delivered;
import org.cartero.smtp.client.RecipientOutcome.Failed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deliveries to Postfix's smtp-sink, a server written by others, which writes what it received to files. */
class SmtpSinkTest {

    @TempDir
    Path dir;
    private ClientFixture fixture;

    @BeforeAll
    static void smtpSinkIsInstalled() {
        assumeTrue(Files.isExecutable(SmtpSink.PROGRAM), "smtp-sink (Debian package postfix) is not installed");
    }

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ClientFixture(dir);
        fixture.dns.mx("example.org", 10, "mx1.example.org").mx("example.org", 20, "mx2.example.org");
        fixture.dns.a("mx1.example.org", "127.0.0.1").a("mx2.example.org", "127.0.0.2");
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    @Test
    void deliversTheMessageDotStuffedAndSmtpSinkReadsItBack() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), "127.0.0.1:0")) {
            List<RecipientOutcome> outcomes = fixture.delivery(sink.port()).deliver(fixture.request("bob@example.org", "carol@example.org"));

            assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(Delivered.class, d -> {
                assertThat(d.host().name()).isEqualTo("mx1.example.org");
                assertThat(d.reply().toString()).isEqualTo("250 2.0.0 Ok");
                assertThat(d.dsnSupported()).isTrue();
            }));
            assertThat(sink.dumps()).singleElement().satisfies(dump -> {
                assertThat(dump.mailArgs()).isEqualTo("<alice@sender.test>");
                assertThat(dump.rcptArgs()).containsExactly("<bob@example.org>", "<carol@example.org>");
                // the lines that start with "." arrive as they were written: stuffed by the client, unstuffed by smtp-sink
                assertThat(dump.content()).isEqualTo(ClientFixture.MESSAGE.replace("\r\n", "\n"));
            });
        }
    }

    @Test
    void streamsAMessageOfSeveralMegabytes() throws Exception {
        Path file = dir.resolve("large.eml");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            out.write("From: alice@sender.test\r\nTo: bob@example.org\r\nSubject: large\r\n\r\n");
            for (int i = 0; i < 150_000; i++) {
                out.write((i % 1000 == 0 ? "." : "") + "line " + i + " of a message that is long enough to count in megabytes\r\n");
            }
        }
        assertThat(Files.size(file)).isGreaterThan(8L << 20);
        DeliveryRequest request = DeliveryRequest.of("QL", Optional.of(MailAddress.parse("alice@sender.test")),
                ClientFixture.recipients("bob@example.org"), MessageContent.ofFile(file, false));

        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), "127.0.0.1:0")) {
            assertThat(fixture.delivery(sink.port()).deliver(request)).singleElement().isInstanceOf(Delivered.class);

            String expected = Files.readString(file, StandardCharsets.US_ASCII).replace("\r\n", "\n");
            assertThat(sink.dumps()).singleElement().satisfies(dump -> assertThat(dump.content()).isEqualTo(expected));
        }
    }

    @Test
    void movesOnToTheNextMxWhenTheFirstGreetsWith4xx() throws Exception {
        try (SmtpSink refusing = SmtpSink.start(dir.resolve("refusing"), "127.0.0.1:0", "-r", "CONNECT");
             SmtpSink accepting = SmtpSink.start(dir.resolve("accepting"), "127.0.0.2:" + refusing.port())) {
            List<RecipientOutcome> outcomes = fixture.delivery(refusing.port()).deliver(fixture.request("bob@example.org"));

            assertThat(outcomes).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().name()).isEqualTo("mx2.example.org"));
            assertThat(refusing.dumps()).isEmpty();
            assertThat(accepting.dumps()).hasSize(1);
        }
    }

    @Test
    void recipientsRefusedForNowAreDeferred() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), "127.0.0.1:0", "-r", "RCPT")) {
            fixture.dns.nxdomain("mx2.example.org");

            assertThat(fixture.delivery(sink.port()).deliver(fixture.request("bob@example.org"))).singleElement()
                    .isInstanceOfSatisfying(Deferred.class, d -> {
                        assertThat(d.problem().status()).isEqualTo("4.3.0");
                        assertThat(d.problem().reply().orElseThrow().toString()).isEqualTo("450 4.3.0 Error: command failed");
                    });
            assertThat(sink.dumps()).isEmpty();
        }
    }

    @Test
    void recipientsRefusedForGoodFail() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), "127.0.0.1:0", "-f", "RCPT")) {
            assertThat(fixture.delivery(sink.port()).deliver(fixture.request("bob@example.org"))).singleElement()
                    .isInstanceOfSatisfying(Failed.class, f -> {
                        assertThat(f.problem().status()).isEqualTo("5.3.0");
                        assertThat(f.problem().remoteHost().orElseThrow().name()).isEqualTo("mx1.example.org");
                    });
            assertThat(sink.dumps()).isEmpty();
        }
    }
}
