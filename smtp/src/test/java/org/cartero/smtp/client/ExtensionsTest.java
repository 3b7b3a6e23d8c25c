package org.cartero.smtp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.client.RecipientOutcome.Deferred;
import org.cartero.smtp.client.RecipientOutcome.Delivered;
import org.cartero.smtp.client.RecipientOutcome.Failed;
import org.cartero.smtp.protocol.MailParameters;
import org.cartero.smtp.protocol.OriginalRecipient;
import org.cartero.smtp.protocol.RcptParameters;
import org.junit.jupiter.api.Test;

/** The service extensions the client uses when the server offers them, and what it does when it does not. */
class ExtensionsTest extends OneMxHostTest {

    @Test
    void greetsWithTheConfiguredHostname() throws Exception {
        deliver("bob@example.org");

        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.helo()).isEqualTo("mail.example.test"));
    }

    @Test
    void sendsTheContentDotStuffedWithCrlfLineEnds() throws Exception {
        DeliveryRequest request = DeliveryRequest.of("QC", Optional.of(MailAddress.parse("alice@sender.test")),
                ClientFixture.recipients("bob@example.org"), fixture.message("Subject: bare\n\n.one\n.\nlast line without end"));

        assertThat(deliver(request)).singleElement().isInstanceOf(Delivered.class);

        // the server's strict reader (bare line ends refused) got CRLF lines, unstuffed back to the original
        assertThat(server.received()).singleElement().satisfies(m ->
                assertThat(m.text()).isEqualTo("Subject: bare\r\n\r\n.one\r\n.\r\nlast line without end\r\n"));
    }

    @Test
    void usesStartTlsWhenOffered() throws Exception {
        server.tls(fixture.remoteTls());

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOf(Delivered.class);

        assertThat(server.received()).singleElement().satisfies(m -> {
            assertThat(m.tls()).isTrue();
            assertThat(m.helo()).as("EHLO again after TLS").isEqualTo("mail.example.test");
        });
        assertThat(server.transcripts().getFirst()).startsWith("EHLO mail.example.test", "STARTTLS", "EHLO mail.example.test");
    }

    @Test
    void triesAgainInPlaintextWhenTheTlsHandshakeFails() throws Exception {
        server.tls(fixture.remoteTls()).reply("STARTTLS", ScriptedSmtpServer.BAD_TLS);

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOf(Delivered.class);

        assertThat(server.sessions()).isEqualTo(2);
        assertThat(server.transcripts().get(1)).doesNotContain("STARTTLS");
        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.tls()).isFalse());
    }

    @Test
    void ignoresRepliesInjectedBeforeTheTlsHandshake() throws Exception {
        server.tls(fixture.remoteTls()).reply("STARTTLS", "220 2.0.0 Ready to start TLS\r\n250 2.1.0 injected");

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOf(Delivered.class);

        assertThat(server.transcripts().getFirst()).containsExactly("EHLO mail.example.test", "STARTTLS");
        assertThat(server.transcripts().get(1)).doesNotContain("STARTTLS");
    }

    @Test
    void continuesInPlaintextWhenStartTlsIsRefused() throws Exception {
        server.tls(fixture.remoteTls()).reply("STARTTLS", "454 4.7.0 TLS not available due to temporary reason");

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOf(Delivered.class);

        assertThat(server.sessions()).isOne();
        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.tls()).isFalse());
    }

    @Test
    void aDomainThatRequiresTlsWaitsForAServerThatOffersIt() throws Exception {
        RemoteDelivery delivery = fixture.delivery(server.port(), "tls_required_domains = [\"example.org\"]", "");

        assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> {
                    assertThat(d.problem().status()).isEqualTo("4.7.4");
                    assertThat(d.problem().text()).contains("TLS is required");
                });
        assertThat(server.transcripts().getFirst()).noneMatch(line -> line.startsWith("MAIL"));
    }

    @Test
    void aDomainThatRequiresTlsIsNotRetriedInPlaintextAfterAFailedHandshake() throws Exception {
        server.tls(fixture.remoteTls()).reply("STARTTLS", ScriptedSmtpServer.BAD_TLS);
        RemoteDelivery delivery = fixture.delivery(server.port(), "tls_required_domains = [\"example.org\"]", "");

        assertThat(delivery.deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> assertThat(d.problem().status()).isEqualTo("4.7.5"));
        assertThat(server.sessions()).isOne();
    }

    @Test
    void authenticatesAtTheRelayHostWithPlain() throws Exception {
        server.tls(fixture.remoteTls()).auth("alice", "s3cret pass", "PLAIN", "LOGIN");

        assertThat(relay("s3cret pass").deliver(fixture.request("bob@example.org"))).singleElement().isInstanceOf(Delivered.class);

        assertThat(server.received()).singleElement().satisfies(m -> {
            assertThat(m.authUser()).isEqualTo("alice");
            assertThat(m.tls()).isTrue();
        });
        assertThat(server.transcripts().getFirst()).anyMatch(line -> line.startsWith("AUTH PLAIN "));
    }

    @Test
    void authenticatesAtTheRelayHostWithLogin() throws Exception {
        server.tls(fixture.remoteTls()).auth("alice", "s3cret", "LOGIN");

        assertThat(relay("s3cret").deliver(fixture.request("bob@example.org"))).singleElement().isInstanceOf(Delivered.class);

        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.authUser()).isEqualTo("alice"));
        assertThat(server.transcripts().getFirst()).contains("AUTH LOGIN");
    }

    @Test
    void wrongRelayCredentialsDeferTheMail() throws Exception {
        server.tls(fixture.remoteTls()).auth("alice", "s3cret", "PLAIN");

        assertThat(relay("wrong").deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> {
                    assertThat(d.problem().status()).isEqualTo("4.7.8");
                    assertThat(d.problem().reply().orElseThrow().code()).isEqualTo(535);
                });
        assertThat(server.received()).isEmpty();
    }

    @Test
    void neverSendsRelayCredentialsWithoutTls() throws Exception {
        server.auth("alice", "s3cret", "PLAIN");

        assertThat(relay("s3cret").deliver(fixture.request("bob@example.org"))).singleElement()
                .isInstanceOfSatisfying(Deferred.class, d -> assertThat(d.problem().status()).isEqualTo("4.7.4"));
        assertThat(server.transcripts().getFirst()).noneMatch(line -> line.startsWith("AUTH"));
    }

    private RemoteDelivery relay(String password) throws Exception {
        Path secret = Files.createDirectories(dir.resolve("client")).resolve("relay-password");
        Files.writeString(secret, password + "\n");
        fixture.dns.nxdomain("example.org");
        return fixture.delivery(25, """
                relay_host = "127.0.0.1:%d"
                relay_user = "alice"
                relay_password_file = "relay-password"
                """.formatted(server.port()), "");
    }

    @Test
    void pipelinesMailRcptAndDataInOneGroup() throws Exception {
        server.offer("PIPELINING").holdRepliesUntilData();

        List<RecipientOutcome> outcomes = deliver("bob@example.org", "carol@example.org");

        assertThat(outcomes).allSatisfy(o -> assertThat(o).isInstanceOf(Delivered.class));
        assertThat(server.transcripts().getFirst()).containsSubsequence(
                "MAIL FROM:<alice@sender.test>", "RCPT TO:<bob@example.org>", "RCPT TO:<carol@example.org>", "DATA");
    }

    @Test
    void checksEveryReplyOfAPipelinedGroup() throws Exception {
        server.offer("PIPELINING").holdRepliesUntilData().reply("RCPT TO:<bob@", "550 5.1.1 No such user");

        List<RecipientOutcome> outcomes = deliver("bob@example.org", "carol@example.org");

        assertThat(outcomes.get(0)).isInstanceOf(Failed.class);
        assertThat(outcomes.get(1)).isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.rcptTo()).containsExactly("RCPT TO:<carol@example.org>"));
    }

    @Test
    void talksOneCommandAtATimeWithoutPipelining() throws Exception {
        server.offer("8BITMIME").reply("RCPT TO:<bob@", "550 5.1.1 No such user");

        List<RecipientOutcome> outcomes = deliver("bob@example.org", "carol@example.org");

        assertThat(outcomes.get(1)).isInstanceOf(Delivered.class);
        assertThat(server.transcripts().getFirst()).containsSubsequence("MAIL FROM:<alice@sender.test>", "RCPT TO:<bob@example.org>",
                "RCPT TO:<carol@example.org>", "DATA", ".", "QUIT");
    }

    @Test
    void aMessageLargerThanTheServersLimitIsNotSent() throws Exception {
        server.offer("PIPELINING", "SIZE 100");

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.problem().status()).isEqualTo("5.3.4");
            assertThat(f.problem().text()).startsWith("message size " + ClientFixture.MESSAGE.length() + " exceeds the size limit 100 of host mx.example.org");
        });
        assertThat(server.transcripts().getFirst()).noneMatch(line -> line.startsWith("MAIL"));
    }

    @Test
    void declaresTheSizeToAServerThatOffersSize() throws Exception {
        server.offer("PIPELINING", "SIZE 10485760");

        deliver("bob@example.org");

        assertThat(server.received()).singleElement().satisfies(m ->
                assertThat(m.mailFrom()).isEqualTo("MAIL FROM:<alice@sender.test> SIZE=" + ClientFixture.MESSAGE.length()));
    }

    @Test
    void eightBitContentGoesOnlyToAServerWithEightBitMime() throws Exception {
        MessageContent eightBit = fixture.message("Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n");
        DeliveryRequest request = DeliveryRequest.of("Q8", Optional.of(MailAddress.parse("alice@sender.test")),
                ClientFixture.recipients("bob@example.org"), eightBit);

        server.offer("PIPELINING");
        assertThat(deliver(request)).singleElement().isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.problem().status()).isEqualTo("5.6.3"));

        server.offer("PIPELINING", "8BITMIME");
        assertThat(deliver(request)).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m -> {
            assertThat(m.mailFrom()).endsWith(" BODY=8BITMIME");
            assertThat(m.text()).contains("d\u00e9j\u00e0 vu");
        });
    }

    @Test
    void anInternationalisedAddressFailsAtAServerWithoutSmtpUtf8() throws Exception {
        server.offer("PIPELINING", "8BITMIME");

        List<RecipientOutcome> outcomes = deliver("j\u00f6rg@example.org", "bob@example.org");

        assertThat(outcomes.get(0)).isInstanceOfSatisfying(Failed.class, f -> {
            assertThat(f.problem().status()).isEqualTo("5.6.7");
            assertThat(f.problem().text()).contains("does not support SMTPUTF8");
        });
        assertThat(outcomes.get(1)).isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m -> {
            assertThat(m.mailFrom()).isEqualTo("MAIL FROM:<alice@sender.test>");
            assertThat(m.rcptTo()).containsExactly("RCPT TO:<bob@example.org>");
        });
    }

    @Test
    void anInternationalisedAddressGoesWithSmtpUtf8WhenOffered() throws Exception {
        server.offer("PIPELINING", "8BITMIME", "SMTPUTF8");

        assertThat(deliver("j\u00f6rg@example.org")).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m -> {
            assertThat(m.mailFrom()).isEqualTo("MAIL FROM:<alice@sender.test> SMTPUTF8");
            assertThat(m.rcptTo()).containsExactly("RCPT TO:<j\u00f6rg@example.org>");
        });
    }

    @Test
    void anInternationalisedDomainGoesInItsAsciiFormWithoutSmtpUtf8() throws Exception {
        server.offer("PIPELINING");

        assertThat(deliver("bob@b\u00fccher.example")).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m ->
                assertThat(m.rcptTo()).containsExactly("RCPT TO:<bob@xn--bcher-kva.example>"));
    }

    @Test
    void aMessageWithAUtf8HeaderNeedsSmtpUtf8() throws Exception {
        server.offer("PIPELINING", "8BITMIME");
        DeliveryRequest utf8Header = new DeliveryRequest("QU", Optional.of(MailAddress.parse("alice@sender.test")),
                ClientFixture.recipients("bob@example.org"), fixture.message("Subject: Gr\u00fc\u00dfe\r\n\r\nHallo\r\n"),
                true, Optional.empty(), Optional.empty());
        DeliveryRequest asciiHeader = new DeliveryRequest("QA", Optional.of(MailAddress.parse("alice@sender.test")),
                ClientFixture.recipients("bob@example.org"), fixture.message("Subject: hello\r\n\r\nGr\u00fc\u00dfe\r\n"),
                true, Optional.empty(), Optional.empty());

        assertThat(deliver(utf8Header)).singleElement().isInstanceOfSatisfying(Failed.class,
                f -> assertThat(f.problem().status()).isEqualTo("5.6.7"));
        assertThat(deliver(asciiHeader)).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.mailFrom()).doesNotContain("SMTPUTF8"));
    }

    @Test
    void passesDsnParametersToAServerThatOffersDsn() throws Exception {
        RemoteRecipient bob = new RemoteRecipient(MailAddress.parse("bob@example.org"), new RcptParameters(
                Set.of(RcptParameters.Notify.SUCCESS, RcptParameters.Notify.FAILURE),
                Optional.of(new OriginalRecipient(OriginalRecipient.RFC822, "bob@example.org"))));
        DeliveryRequest request = new DeliveryRequest("QD", Optional.of(MailAddress.parse("alice@sender.test")), List.of(bob),
                fixture.message(ClientFixture.MESSAGE), false, Optional.of(MailParameters.Ret.HDRS), Optional.of("env id+1"));

        server.offer("PIPELINING", "DSN");
        assertThat(deliver(request)).singleElement().isInstanceOfSatisfying(Delivered.class, d -> assertThat(d.dsnSupported()).isTrue());
        assertThat(server.received().getLast().mailFrom()).isEqualTo("MAIL FROM:<alice@sender.test> RET=HDRS ENVID=env+20id+2B1");
        assertThat(server.received().getLast().rcptTo())
                .containsExactly("RCPT TO:<bob@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org");

        server.offer("PIPELINING");
        assertThat(deliver(request)).singleElement().isInstanceOfSatisfying(Delivered.class, d -> assertThat(d.dsnSupported()).isFalse());
        assertThat(server.received().getLast().mailFrom()).isEqualTo("MAIL FROM:<alice@sender.test>");
        assertThat(server.received().getLast().rcptTo()).containsExactly("RCPT TO:<bob@example.org>");
    }

    @Test
    void fallsBackToHeloWhenEhloIsNotKnown() throws Exception {
        server.reply("EHLO", "502 5.5.2 Command not recognized");

        assertThat(deliver("bob@example.org")).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.transcripts().getFirst()).startsWith("EHLO mail.example.test", "HELO mail.example.test");
    }

    @Test
    void sendsTheNullSenderOfABounce() throws Exception {
        DeliveryRequest bounce = DeliveryRequest.of("QB", Optional.empty(), ClientFixture.recipients("bob@example.org"),
                fixture.message(ClientFixture.MESSAGE));

        assertThat(deliver(bounce)).singleElement().isInstanceOf(Delivered.class);
        assertThat(server.received()).singleElement().satisfies(m -> assertThat(m.mailFrom()).isEqualTo("MAIL FROM:<>"));
    }
}
