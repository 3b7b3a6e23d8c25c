package org.cartero.server;

import java.nio.file.Path;
import org.cartero.core.config.ConfigException;
import org.cartero.core.directory.DirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code cartero} command. Exit codes: 0 success, 1 failure (the message says why), 2 a
 * command line that cannot be understood.
 */
@Command(name = "cartero",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Cartero: a complete mail server (SMTP, POP3, IMAP) in one program.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ServeCommand.class,
                CheckConfigCommand.class,
                DemoCommand.class,
                DomainCommand.class,
                UserCommand.class,
                AliasCommand.class,
                QueueCommand.class,
                SendmailCommand.class,
        })
public final class Main {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $CARTERO_CONFIG, else /etc/cartero/cartero.toml).")
    Path config;

    /** The configuration file named by --config, else $CARTERO_CONFIG, else the system one. */
    Path configFile() {
        if (config != null) return config;
        String env = System.getenv("CARTERO_CONFIG");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("/etc/cartero/cartero.toml");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code (tests call this instead of main). Run
     * through a symlink named sendmail, mailq or newaliases (bin/cartero passes the name in
     * {@code cartero.invoked-as}), it behaves as that program.
     */
    public static int run(String... args) {
        return runAs(System.getProperty("cartero.invoked-as", "cartero"), args);
    }

    static int runAs(String invokedAs, String... args) {
        return switch (invokedAs) {
            case "sendmail" -> runCommand(prepend("sendmail", args));
            case "mailq" -> runCommand(prepend("sendmail", prepend("-bp", args)));
            case "newaliases" -> runCommand(prepend("sendmail", prepend("-bi", args)));
            default -> runCommand(args);
        };
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    private static int runCommand(String... args) {
        CommandLine commandLine = new CommandLine(new Main());
        // Sendmail's options (-t, -oi, -fFROM...) are its own: they reach it as plain arguments.
        commandLine.getSubcommands().get("sendmail").setUnmatchedOptionsArePositionalParams(true);
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            if (e instanceof ConfigException || e instanceof CommandException || e instanceof DirectoryException) {
                cmd.getErr().println("cartero: " + e.getMessage());
            } else {
                cmd.getErr().println("cartero: " + e);
                e.printStackTrace(cmd.getErr());
            }
            return 1;
        });
        return commandLine.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"cartero " + (v == null ? "development build" : v)};
        }
    }
}
