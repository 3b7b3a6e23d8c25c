package org.cartero.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.client.RecipientOutcome.Deferred;
import org.cartero.smtp.client.RecipientOutcome.Delivered;
import org.cartero.smtp.client.RecipientOutcome.Failed;
import org.junit.jupiter.api.Test;

/** Refusals and breakdowns: what each recipient's outcome is when servers say no, fail or stall. */
class FailuresTest extends OneMxHostTest {

    @Test
    void aRecipientRefusedForGoodFailsAloneWithTheServersReply() throws Exception {
        server.reply("RCPT TO:<nobody@", "550 5.1.1 <nobody@example.org>: Recipient address rejected");

        List<RecipientOutcome> outcomes = deliver("bob@example.org", "nobody@example.org", "carol@example.org");

        assertThat(outcomes.get(0)).isInstanceOf(Delivered.class);
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.recipient().address()).isEqualTo(MailAddress.parse("nobody@example.org"));
            assertThat(f.problem().status()).isEqualTo("5.1.1");
            assertThat(f.problem().reply().orElseThrow().text()).isEqualTo("<nobody@example.org>: Recipient address rejected");
            assertThat(f.problem().remoteHost().orElseThrow().name()).isEqualTo("mx.example.org");
            assertThat(f.problem().text()).endsWith("(in reply to RCPT TO)");
        });
        assertThat(outcomes.get(2)).isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m ->
                assertThat(m.rcptTo()).containsExactly("RCPT TO:<bob@example.org>", "RCPT TO:<carol@example.org>"));
    }

    @Test
    void aServerThatSaysLaterThenYesDeliversOnTheRetry() throws Exception {
        server.reply("RCPT", "451 4.7.1 Greylisted, try again later");
        RemoteDelivery delivery = fixture.delivery(server.port());

        assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> assertThat(d.problem().status()).isEqualTo("4.7.1"));
        assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.received()).hasSize(1);
    }

    @Test
    void aRefusedSenderFailsEveryRecipient() throws Exception {
        server.reply("MAIL", "553 5.7.1 <alice@sender.test>: Sender address rejected");

        assertThat(deliver("bob@example.org", "carol@example.org")).hasSize(2).allSatisfy(o ->
                assertThat(o).isInstanceOfSatisfying(Failed.class, f -> assertThat(f.problem().status()).isEqualTo("5.7.1")));
    }

    @Test
    void aRefusedMessageFailsTheRecipientsThatWereAccepted() throws Exception {
        server.reply("RCPT TO:<nobody@", "550 5.1.1 No such user").reply(".", "554 5.7.1 Message rejected as spam");

        List<RecipientOutcome> outcomes = deliver("bob@example.org", "nobody@example.org");

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.problem().status()).isEqualTo("5.7.1");
            assertThat(f.problem().text()).endsWith("(in reply to end of DATA)");
        });
        assertThat(outcomes.get(1)).isInstanceOfSatisfying(Failed.class, f -> assertThat(f.problem().status()).isEqualTo("5.1.1"));
    }

    @Test
    void aServerThatRefusesDataForNowDefers() throws Exception {
        server.offer("8BITMIME").reply("DATA", "451 4.3.0 Queue full");

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Deferred.class, d -> {
            assertThat(d.problem().status()).isEqualTo("4.3.0");
            assertThat(d.problem().text()).endsWith("(in reply to DATA)");
        });
    }

    @Test
    void aReplyWithoutEnhancedCodeGetsTheGenericStatusOfItsClass() throws Exception {
        server.reply("RCPT", "550 No such user here");

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.problem().status()).isEqualTo("5.0.0"));
    }

    @Test
    void aConnectionClosedBeforeTheReplyToTheDataMovesOnToTheNextMx() throws Exception {
        try (ScriptedSmtpServer backup = ScriptedSmtpServer.start("127.0.0.2", server.port())) {
            fixture.dns.mx("example.org", 20, "backup.example.org").a("backup.example.org", "127.0.0.2");
            server.reply(".", ScriptedSmtpServer.CLOSE);

            assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().name()).isEqualTo("backup.example.org"));
            assertThat(backup.received()).hasSize(1);
        }
    }

    @Test
    void aConnectionClosedMidTransactionDefersWithWhatTheClientWasDoing() throws Exception {
        server.offer("8BITMIME").reply("RCPT", ScriptedSmtpServer.CLOSE);

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Deferred.class, d -> {
            assertThat(d.problem().status()).isEqualTo("4.4.2");
            assertThat(d.problem().text()).startsWith("lost connection with mx.example.org[127.0.0.1]:" + server.port() + " while sending RCPT TO");
        });
    }

    @Test
    void aLostConnectionAfterTheDataSaysTheMessageMayArriveTwice() throws Exception {
        server.reply(".", ScriptedSmtpServer.CLOSE);

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Deferred.class, d ->
                assertThat(d.problem().text()).contains("while waiting for the reply to the end of the data (the message may be delivered twice)"));
    }

    @Test
    void aServerThatGreetsWith554IsSkipped() throws Exception {
        try (ScriptedSmtpServer backup = ScriptedSmtpServer.start("127.0.0.2", server.port())) {
            fixture.dns.mx("example.org", 20, "backup.example.org").a("backup.example.org", "127.0.0.2");
            server.greeting("554 5.7.1 No SMTP service here");

            assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Delivered.class,
                    d -> assertThat(d.host().name()).isEqualTo("backup.example.org"));
        }
        server.greeting("554 5.7.1 No SMTP service here");
        assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Deferred.class,
                d -> assertThat(d.problem().status()).isEqualTo("4.7.1"));
    }

    @Test
    void aServerThatNeverGreetsTimesOut() throws Exception {
        server.greeting(ScriptedSmtpServer.STALL);
        RemoteDelivery delivery = fixture.delivery(server.port(), "", """
                [smtp.client_timeouts]
                greeting = "1s"
                """);

        assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement().isInstanceOfSatisfying(Deferred.class, d -> {
            assertThat(d.problem().status()).isEqualTo("4.4.2");
            assertThat(d.problem().text()).isEqualTo("conversation with mx.example.org[127.0.0.1]:" + server.port()
                    + " timed out while receiving the initial greeting");
        });
    }

    @Test
    void aServerThatStopsReadingTheDataTimesOut() throws Exception {
        server.reply("DATA", ScriptedSmtpServer.STALL_DATA);
        RemoteDelivery delivery = fixture.delivery(server.port(), "", """
                [smtp.client_timeouts]
                data_block = "1s"
                """);
        // far more than the socket buffers on both sides hold
        long size = 64L << 20;
        MessageContent endless = new MessageContent(() -> new GeneratedMessage(size), size, false);
        DeliveryRequest request = DeliveryRequest.of("QS", Optional.of(MailAddress.parse("alice@sender.test")),
                ClientFixture.recipients("bob@example.org"), endless);

        assertThat(delivery.deliver(request)).singleElement().isInstanceOfSatisfying(Deferred.class, d ->
                assertThat(d.problem().text()).contains("timed out while sending the message content"));
    }

    @Test
    void aMessageThatCannotBeReadIsDeferredWithoutEndingTheData() throws Exception {
        try (ScriptedSmtpServer backup = ScriptedSmtpServer.start("127.0.0.2", server.port())) {
            fixture.dns.mx("example.org", 20, "backup.example.org").a("backup.example.org", "127.0.0.2");
            MessageContent broken = new MessageContent(() -> new InputStream() {
                private int given;

                @Override
                public int read() throws IOException {
                    if (given++ < 1000) return 'x';
                    throw new IOException("disk on fire");
                }
            }, 5000, false);
            DeliveryRequest request = DeliveryRequest.of("QX", Optional.of(MailAddress.parse("alice@sender.test")),
                    ClientFixture.recipients("bob@example.org"), broken);

            assertThat(fixture.delivery(server.port()).deliver(request)).singleElement().isInstanceOfSatisfying(Deferred.class, d -> {
                assertThat(d.problem().status()).isEqualTo("4.3.0");
                assertThat(d.problem().text()).isEqualTo("cannot read the queued message: disk on fire");
            });
            assertThat(server.received()).isEmpty();
            assertThat(server.transcripts().getFirst()).doesNotContain(".");
            assertThat(backup.sessions()).as("another server would fail the same way").isZero();
        }
    }

    @Test
    void neverSendsALineBreakInsideACommand() throws Exception {
        DeliveryRequest request = DeliveryRequest.of("QI", Optional.of(MailAddress.parse("alice@sender.test")),
                List.of(RemoteRecipient.of(new MailAddress("bob>\r\nRSET\r\nRCPT TO:<eve", "example.org"))),
                fixture.message(ClientFixture.MESSAGE));

        assertThatThrownBy(() -> deliver(request)).isInstanceOf(IllegalArgumentException.class);
        assertThat(server.transcripts().getFirst()).noneMatch(line -> line.startsWith("RSET") || line.startsWith("RCPT"));
    }

    @Test
    void recipientsRefusedAsTooManyGoInTheNextTransaction() throws Exception {
        server.reply("RCPT TO:<carol@", "452 4.5.3 Too many recipients");

        List<RecipientOutcome> outcomes = deliver("bob@example.org", "carol@example.org");

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Delivered.class));
        assertThat(server.received()).extracting(ScriptedSmtpServer.Received::rcptTo).containsExactly(
                List.of("RCPT TO:<bob@example.org>"), List.of("RCPT TO:<carol@example.org>"));
        assertThat(server.sessions()).isOne();
    }

    @Test
    void sendsAtMostOneHundredRecipientsPerTransaction() throws Exception {
        String[] recipients = IntStream.range(0, 150).mapToObj(i -> "user" + i + "@example.org").toArray(String[]::new);

        List<RecipientOutcome> outcomes = deliver(recipients);

        assertThat(outcomes).hasSize(150).allSatisfy(o -> assertThat(o).isInstanceOf(Delivered.class));
        assertThat(server.received()).extracting(m -> m.rcptTo().size()).containsExactly(100, 50);
        assertThat(server.sessions()).isOne();
    }

    @Test
    void keepsToTheConnectionLimitOfADestination() throws Exception {
        server.endOfDataDelay(Duration.ofMillis(200));
        RemoteDelivery delivery = fixture.delivery(server.port(), "max_connections_per_destination = 2", "");

        List<Future<List<RecipientOutcome>>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 6; i++) {
                DeliveryRequest request = fixture.request("user" + i + "@example.org");
                results.add(threads.submit(() -> delivery.deliver(request)));
            }
        }
        for (Future<List<RecipientOutcome>> result : results) {
            assertThat(result.get()).singleElement().isInstanceOf(Delivered.class);
        }
        assertThat(server.received()).hasSize(6);
        assertThat(server.mostConcurrentSessions()).isLessThanOrEqualTo(2);
    }

    /** A message of {@code size} octets made up as it is read: lines of 'x', nothing held in memory. */
    static final class GeneratedMessage extends InputStream {
        private final long size;
        private long position;

        GeneratedMessage(long size) {
            this.size = size;
        }

        @Override
        public int read() {
            if (position == size) return -1;
            return position++ % 100 == 99 ? '\n' : 'x';
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position == size) return -1;
            int n = (int) Math.min(length, size - position);
            for (int i = 0; i < n; i++) buffer[offset + i] = (byte) read();
            return n;
        }
    }
}
