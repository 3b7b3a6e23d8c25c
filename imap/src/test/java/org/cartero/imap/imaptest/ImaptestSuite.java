package org.cartero.imap.imaptest;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dovecot's imaptest compliance scripts as JUnit tests: one dynamic test per test group, each
 * played against {@link #server()} over real sockets by {@link ScriptExecutor}.
 * <p>
 * The scripts are read from the directory named by {@value #DIRECTORY_VARIABLE} (the imaptest
 * directory, holding tests/, or tests/ itself); without it from ../shared/peer-tests/imaptest
 * beside the repository. If neither exists the tests are skipped, saying why. A group needing a
 * capability the server does not announce is skipped too, as imaptest skips it, unless
 * {@link #requireEveryCapability()}.
 * <p>
 * To run the suite against a server, extend this class and return the server from
 * {@link #server()}, starting and stopping it in {@code @BeforeAll}/{@code @AfterAll}.
 */
public abstract class ImaptestSuite {
    /** Environment variable naming the directory of the imaptest scripts. */
    public static final String DIRECTORY_VARIABLE = "CARTERO_IMAPTEST_DIR";
    private static final Path BESIDE_REPOSITORY = Path.of("..", "shared", "peer-tests", "imaptest");
    private static final Logger log = LoggerFactory.getLogger(ImaptestSuite.class);

    /** The server under test; asked for each group. */
    protected abstract ImapTestServer server();

    /** Whether a group needing a capability the server lacks fails instead of being skipped. */
    protected boolean requireEveryCapability() {
        return false;
    }

    /**
     * A bug of the server, outside the runner, that makes a group fail: the group must then fail
     * with a report containing {@code evidence}, and is reported as skipped with the reason. For
     * reference servers only; Cartero has none.
     */
    public record KnownDefect(String reason, String evidence) {
    }

    /** The known defect that fails {@code group} on this server, or null. */
    protected KnownDefect knownDefect(String group) {
        return null;
    }

    @TestFactory
    public Stream<DynamicTest> imaptest() throws IOException {
        Optional<Path> tests = testsDirectory();
        if (tests.isEmpty()) {
            String reason = "imaptest scripts not found (looked in " + candidateDirectories() + "); set "
                    + DIRECTORY_VARIABLE + " to the imaptest directory to run them";
            log.warn(reason);
            return Stream.of(DynamicTest.dynamicTest("imaptest scripts", () -> Assumptions.abort(reason)));
        }
        return ScriptParser.groupFiles(tests.get()).stream()
                .map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), file.toUri(), () -> runGroup(file)));
    }

    private void runGroup(Path file) throws Exception {
        Script script = ScriptParser.parse(file);
        switch (ScriptExecutor.run(script, server())) {
            case GroupOutcome.Passed passed -> passed.warnings().forEach(
                    warning -> log.warn("imaptest group {}: imaptest would log: {}", script.name(), warning));
            case GroupOutcome.Skipped skipped -> {
                if (requireEveryCapability()) {
                    fail(skipped.reason());
                }
                Assumptions.abort(skipped.reason());
            }
            case GroupOutcome.Failed failed -> {
                KnownDefect defect = knownDefect(script.name());
                if (defect != null && failed.report().contains(defect.evidence())) {
                    Assumptions.abort("fails because of a known defect of the server: " + defect.reason());
                }
                fail(failed.report());
            }
        }
    }

    /** The directory of test groups, if there is one where {@link #candidateDirectories()} point. */
    public static Optional<Path> testsDirectory() {
        for (Path directory : candidateDirectories()) {
            Path tests = directory.resolve("tests");
            if (Files.isDirectory(tests)) {
                return Optional.of(tests);
            }
            if (Files.isRegularFile(directory.resolve(ScriptParser.DEFAULT_MBOX))) {
                return Optional.of(directory);
            }
        }
        return Optional.empty();
    }

    /** Where the scripts may be: the directory the environment names, then beside the repository. */
    private static List<Path> candidateDirectories() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv(DIRECTORY_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            candidates.add(Path.of(configured));
        }
        repositoryRoot().ifPresent(root -> candidates.add(root.resolve(BESIDE_REPOSITORY).normalize()));
        return candidates;
    }

    /** The top of the Maven reactor the tests run in: the highest directory with a pom.xml. */
    private static Optional<Path> repositoryRoot() {
        Path root = null;
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                root = dir;
            }
        }
        return Optional.ofNullable(root);
    }
}
