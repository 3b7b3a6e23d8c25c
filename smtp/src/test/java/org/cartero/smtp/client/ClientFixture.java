package org.cartero.smtp.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.tls.TlsContext;
import org.cartero.smtp.dns.DnsResponder;

/**
 * What the client tests share: a DNS responder on loopback, a {@link RemoteDelivery} configured
 * from a real cartero.toml that points at it, a certificate for the remote servers, and messages.
 */
final class ClientFixture implements AutoCloseable {

    /** A message with lines that need dot-stuffing, a line of one dot among them. */
    static final String MESSAGE = """
            From: Alice <alice@sender.test>\r
            To: Bob <bob@example.org>\r
            Subject: remote delivery\r
            Message-ID: <1@sender.test>\r
            \r
            Hello Bob.\r
            .a line that starts with a dot\r
            ..and one with two\r
            .\r
            The end.\r
            """;

    private static final String TIMEOUTS = """
            [smtp.client_timeouts]
            connect = "5s"
            greeting = "20s"
            command = "20s"
            data_init = "20s"
            data_block = "20s"
            data_done = "20s"
            """;

    final DnsResponder dns;
    final Path dir;
    private int files;

    ClientFixture(Path dir) throws IOException {
        this.dir = dir;
        this.dns = new DnsResponder();
    }

    /**
     * A remote delivery whose DNS is {@link #dns} and whose MX port is {@code mxPort}.
     *
     * @param smtpKeys more keys of [smtp], one per line
     * @param sections more sections ([smtp.routes], [smtp.client_timeouts] to replace the short test ones)
     */
    RemoteDelivery delivery(int mxPort, String smtpKeys, String sections) throws Exception {
        String toml = """
                [smtp]
                dns_resolver = "%s"
                dns_timeout = "2s"
                mx_port = %d
                %s

                %s
                """.formatted(dns.address(), mxPort, smtpKeys, sections.contains("[smtp.client_timeouts]") ? sections : sections + "\n" + TIMEOUTS);
        Path configDir = Files.createDirectories(dir.resolve("client"));
        ConfigFile file = ConfigFile.load(TestConfigs.write(configDir, toml));
        Config config = Config.from(file);
        SmtpClientSettings settings = SmtpClientSettings.from(file.root().section("smtp"));
        file.rejectUnknownKeys();
        return RemoteDelivery.create(config, settings, TlsContext.create(config));
    }

    RemoteDelivery delivery(int mxPort) throws Exception {
        return delivery(mxPort, "", "");
    }

    /** A certificate for the remote servers, one nobody vouches for. */
    TlsContext remoteTls() throws Exception {
        return TlsContext.create(TestConfigs.loopback(Files.createDirectories(dir.resolve("remote"))));
    }

    /** The content in a file of its own. */
    MessageContent message(String content) throws IOException {
        Path file = dir.resolve("message-" + ++files + ".eml");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return MessageContent.ofFile(file, content.chars().anyMatch(c -> c >= 0x80));
    }

    /** {@link #MESSAGE} from alice@sender.test to these recipients. */
    DeliveryRequest request(String... recipients) throws IOException {
        return DeliveryRequest.of("Q1", Optional.of(MailAddress.parse("alice@sender.test")), recipients(recipients), message(MESSAGE));
    }

    static List<RemoteRecipient> recipients(String... addresses) {
        return Arrays.stream(addresses).map(a -> RemoteRecipient.of(MailAddress.parse(a))).toList();
    }

    @Override
    public void close() throws InterruptedException {
        dns.close();
    }
}
