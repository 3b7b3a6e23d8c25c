package org.cartero.core.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.cartero.core.config.Config;
import org.cartero.core.config.Service;
import org.cartero.core.testing.LineClient;
import org.cartero.core.testing.TestConfigs;
import org.cartero.core.testing.TestTls;
import org.cartero.core.tls.TlsContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The listener core over real sockets, with the echo protocol on the POP3 (plain) and POP3S (implicit TLS) services. */
class NetServerTest {
    private static final Duration GUARD = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final EchoProtocol echo = new EchoProtocol();
    private NetServer server;
    private TlsContext tls;

    private NetServer start(String extraToml) throws Exception {
        Config config = TestConfigs.loopback(dir, extraToml);
        tls = TlsContext.create(config);
        server = NetServer.start(config, tls, Map.of(Service.POP3, echo, Service.POP3S, echo));
        return server;
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.stop();
    }

    private LineClient connect() throws IOException {
        return LineClient.connect(server.address(Service.POP3));
    }

    private LineClient connectFrom(String localAddress) throws IOException {
        return LineClient.connectFrom(InetAddress.getByName(localAddress), server.address(Service.POP3));
    }

    @Test
    void servesTheProtocolOnTheBoundPortAndClosesAfterItEnds() throws Exception {
        start("");
        assertThat(server.addresses(Service.POP3)).singleElement()
                .satisfies(address -> assertThat(address.getPort()).isPositive());
        assertThat(server.addresses(Service.IMAP)).as("no handler for IMAP").isEmpty();
        try (LineClient client = connect()) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.writeLine("ECHO hello");
            assertThat(client.readLine()).isEqualTo("+OK hello");
            client.writeLine("INFO");
            assertThat(client.readLine()).isEqualTo("+OK null null loopback=true");
            client.writeLine("QUIT");
            assertThat(client.readLine()).as("flushed by the core after the session").isEqualTo("+OK bye");
            assertThat(client.readLine()).as("closed by the core").isNull();
        }
        assertThat(server.openConnections()).isZero();
    }

    @Test
    void refusesConnectionsBeyondTheTotalLimitInTheProtocolsWords() throws Exception {
        start("""
                [limits]
                max_connections = 2
                max_connections_per_ip = 10
                """);
        try (LineClient first = connect(); LineClient second = connectFrom("127.0.0.2")) {
            assertThat(first.readLine()).isEqualTo("+OK echo ready");
            assertThat(second.readLine()).isEqualTo("+OK echo ready");
            try (LineClient third = connectFrom("127.0.0.3")) {
                assertThat(third.readLine()).isEqualTo("-ERR [SYS/TEMP] too many connections, try again later");
                assertThat(third.readLine()).isNull();
            }
            first.writeLine("QUIT");
            assertThat(first.readLine()).isEqualTo("+OK bye");
            assertThat(first.readLine()).isNull();
            try (LineClient fourth = connect()) {
                assertThat(fourth.readLine()).as("a closed connection frees its place").isEqualTo("+OK echo ready");
            }
        }
    }

    @Test
    void refusesConnectionsBeyondThePerClientLimitWhileOtherClientsGetIn() throws Exception {
        start("""
                [limits]
                max_connections = 10
                max_connections_per_ip = 2
                """);
        try (LineClient first = connect(); LineClient second = connect()) {
            assertThat(first.readLine()).isEqualTo("+OK echo ready");
            assertThat(second.readLine()).isEqualTo("+OK echo ready");
            try (LineClient third = connect()) {
                assertThat(third.readLine())
                        .isEqualTo("-ERR [SYS/TEMP] too many connections from your address, try again later");
                assertThat(third.readLine()).isNull();
            }
            try (LineClient other = connectFrom("127.0.0.2")) {
                assertThat(other.readLine()).isEqualTo("+OK echo ready");
            }
        }
    }

    @Test
    void aRefusalOnAnImplicitTlsPortComesInsideTls() throws Exception {
        start("""
                [limits]
                max_connections_per_ip = 1
                """);
        InetSocketAddress pop3s = server.address(Service.POP3S);
        try (LineClient first = LineClient.connectTls(pop3s, TestTls.socketFactory(tls))) {
            assertThat(first.readLine()).isEqualTo("+OK echo ready");
            try (LineClient second = LineClient.connectTls(pop3s, TestTls.socketFactory(tls))) {
                assertThat(second.tlsSession().getProtocol()).isEqualTo("TLSv1.3");
                assertThat(second.readLine())
                        .isEqualTo("-ERR [SYS/TEMP] too many connections from your address, try again later");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Service.class, names = {"POP3", "POP3S"})
    void anIdleClientIsToldAndDisconnected(Service service) throws Exception {
        start("""
                [timeouts]
                pop3 = "1s"
                """);
        try (LineClient client = service.implicitTls()
                ? LineClient.connectTls(server.address(service), TestTls.socketFactory(tls))
                : LineClient.connect(server.address(service))) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            assertThat(client.readLine()).isEqualTo("-ERR idle too long, closing");
            assertThat(client.readLine()).isNull();
        }
    }

    @Test
    void anOverLongLineIsAnsweredAndTheSessionGoesOn() throws Exception {
        start("""
                [limits]
                max_line_length = 1024
                """);
        try (LineClient client = connect()) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.writeLine("ECHO " + "x".repeat(5000));
            assertThat(client.readLine()).isEqualTo("-ERR line too long (at most 1024 bytes)");
            client.writeLine("ECHO " + "y".repeat(1019)); // exactly 1024 bytes
            assertThat(client.readLine()).isEqualTo("+OK " + "y".repeat(1019));
        }
        assertThat(echo.executed).noneMatch(line -> line.contains("xxx"));
    }

    @Test
    void aFailingHandlerEndsOnlyItsOwnSession() throws Exception {
        start("");
        try (LineClient other = connect(); LineClient failing = connect()) {
            assertThat(other.readLine()).isEqualTo("+OK echo ready");
            assertThat(failing.readLine()).isEqualTo("+OK echo ready");
            failing.writeLine("FAIL");
            assertThat(failing.readLine()).isNull();
            other.writeLine("ECHO still here");
            assertThat(other.readLine()).isEqualTo("+OK still here");
            assertThat(server.openConnections()).isEqualTo(1);
        }
        try (LineClient next = connect()) {
            assertThat(next.readLine()).isEqualTo("+OK echo ready");
        }
    }

    @Test
    void aClientThatStopsReadingIsCutOffAfterTheIdleTimeout() throws Exception {
        start("""
                [timeouts]
                pop3 = "1s"
                """);
        try (LineClient client = connect()) {
            assertThat(client.readLine()).isEqualTo("+OK echo ready");
            client.writeLine("FLOOD"); // and read no more: the server's writes block
            eventually(() -> server.openConnections() == 0);
        }
    }

    @Test
    void stopRefusesNewConnectionsAndLetsOpenSessionsFinish() throws Exception {
        start("""
                [timeouts]
                shutdown = "5m"
                """);
        InetSocketAddress address = server.address(Service.POP3);
        try (LineClient open = connect()) {
            assertThat(open.readLine()).isEqualTo("+OK echo ready");
            Thread stopping = Thread.ofVirtual().start(server::stop);
            eventually(() -> refusesConnections(address));
            open.writeLine("ECHO finishing");
            assertThat(open.readLine()).isEqualTo("+OK finishing");
            open.writeLine("QUIT");
            assertThat(open.readLine()).isEqualTo("+OK bye");
            assertThat(stopping.join(GUARD)).as("stop() returned once the last session ended, long before the grace period").isTrue();
        }
    }

    @Test
    void stopClosesSessionsStillOpenAfterTheGracePeriod() throws Exception {
        start("""
                [timeouts]
                shutdown = "1s"
                """);
        try (LineClient idle = connect()) {
            assertThat(idle.readLine()).isEqualTo("+OK echo ready");
            server.stop();
            assertThat(idle.readLine()).isNull();
            assertThat(server.openConnections()).isZero();
        }
        assertThatThrownBy(() -> connect().close()).isInstanceOf(ConnectException.class);
    }

    private static boolean refusesConnections(InetSocketAddress address) {
        try (Socket ignored = new Socket(address.getAddress(), address.getPort())) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for something the server does in its own time (it has no event to wait on). */
    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + GUARD.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("not reached within " + GUARD.toSeconds() + " s");
            Thread.sleep(50);
        }
    }
}
