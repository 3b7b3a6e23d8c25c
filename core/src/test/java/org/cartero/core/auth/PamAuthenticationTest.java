package org.cartero.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.testing.SystemUser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local users through the real PAM stack: the test creates a system user with useradd and
 * chpasswd (it runs as root, as CI does) and removes it afterwards. The PAM service "cartero"
 * does not exist on a bare Debian, so PAM uses /etc/pam.d/other (pam_unix).
 */
class PamAuthenticationTest {
    private static final String PASSWORD = "Pam pass 7%";
    private static final InetAddress CLIENT = InetAddress.ofLiteral("192.0.2.10");
    private static SystemUser systemUser;
    private static String user;

    @TempDir
    static Path dir;

    private static Directory directory;
    private static Authenticator authenticator;

    @BeforeAll
    static void createSystemUser() throws Exception {
        assumeTrue(SystemUser.canCreate(), "creating a system user needs root and useradd");
        systemUser = SystemUser.create("ctest", PASSWORD);
        user = systemUser.name();

        Path file = dir.resolve("cartero.toml");
        Files.writeString(file, """
                hostname = "mail.example.test"
                data_dir = "data"
                [local]
                passwd_file = "/etc/passwd"
                aliases_file = "aliases"
                [auth]
                failures_before_delay = 100
                max_failures = 1000
                """);
        Config config = Config.from(ConfigFile.load(file));
        directory = Directory.open(config);
        authenticator = new Authenticator(directory, config.auth());
    }

    @AfterAll
    static void removeSystemUser() throws Exception {
        if (directory != null) directory.close();
        if (systemUser != null) systemUser.close();
    }

    @Test
    void theRightPasswordLogsIn() {
        AuthResult result = authenticator.authenticate(user, PASSWORD, CLIENT);

        assertThat(result).isInstanceOf(AuthResult.Success.class);
        LocalAccount account = (LocalAccount) ((AuthResult.Success) result).account();
        assertThat(account.name()).isEqualTo(user);
        assertThat(account.address().toString()).isEqualTo(user + "@mail.example.test");
    }

    @Test
    void theNameWorksInEveryLocalDomainAndWithoutCase() {
        assertThat(authenticator.authenticate(user.toUpperCase() + "@mail.example.test", PASSWORD, CLIENT))
                .isInstanceOf(AuthResult.Success.class);
    }

    @Test
    void aWrongPasswordIsBadCredentials() {
        assertThat(authenticator.authenticate(user, PASSWORD + "x", CLIENT)).isEqualTo(new AuthResult.BadCredentials());
        assertThat(authenticator.authenticate(user, "", CLIENT)).isEqualTo(new AuthResult.BadCredentials());
    }

    @Test
    void concurrentChecksFromVirtualThreadsEachGetTheirOwnAnswer() throws Exception {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<AuthResult>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String password = i % 2 == 0 ? PASSWORD : "wrong " + i;
                results.add(threads.submit(() -> authenticator.authenticate(user, password, CLIENT)));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isInstanceOf(i % 2 == 0 ? AuthResult.Success.class : AuthResult.BadCredentials.class);
            }
        }
    }

    @Test
    void anExpiredAccountIsRefusedEvenWithTheRightPassword() throws Exception {
        try (SystemUser expired = SystemUser.create("ctestx", PASSWORD, "--expiredate", "1970-01-02")) {
            assertThat(authenticator.authenticate(expired.name(), PASSWORD, CLIENT)).isEqualTo(new AuthResult.BadCredentials());
        }
    }
}
