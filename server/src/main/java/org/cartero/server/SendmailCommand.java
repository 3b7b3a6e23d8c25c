package org.cartero.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.cartero.core.config.ConfigException;
import org.cartero.smtp.MailTransferAgent;
import org.cartero.smtp.pickup.Sendmail;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cartero sendmail}, also run as {@code sendmail} through a symlink (/usr/sbin/sendmail):
 * the entry that cron, mail(1) and scripts use. Its options are Sendmail's, parsed by
 * {@link Sendmail}, not picocli's. Exit codes follow sysexits.h, as programs calling sendmail
 * expect: 64 bad usage, 75 try again later, 78 configuration error.
 */
@Command(name = "sendmail",
        description = {"Send a message read from standard input, as sendmail(8) does: "
                + "sendmail [-t] [-i] [-f FROM] [-F NAME] [-N DSN] [-R RET] [-V ENVID] [RECIPIENT...]",
                "Also -bp (list the queue), -bi (nothing to rebuild), -q (retry the queue now), -C FILE (configuration)."})
final class SendmailCommand implements Callable<Integer> {
    static final int EX_USAGE = 64;
    static final int EX_TEMPFAIL = 75;
    static final int EX_CONFIG = 78;

    @ParentCommand
    Main main;

    @Parameters(arity = "0..*", paramLabel = "ARGUMENT", description = "Sendmail's options and the recipients.")
    List<String> arguments = List.of();

    @Override
    public Integer call() throws Exception {
        Sendmail.Arguments parsed;
        try {
            parsed = Sendmail.parse(arguments);
        } catch (Sendmail.UsageException e) {
            System.err.println("sendmail: " + e.getMessage());
            return EX_USAGE;
        }
        Settings settings;
        try {
            settings = Settings.load(parsed.config().orElse(main.configFile()));
        } catch (ConfigException e) {
            System.err.println("sendmail: " + e.getMessage());
            return EX_CONFIG;
        }
        Path queueDirectory = MailTransferAgent.queueDirectory(settings.config().dataDir());
        return switch (parsed.mode()) {
            case LIST_QUEUE -> {
                QueueCommand.list(queueDirectory, System.out);
                yield 0;
            }
            case REBUILD_ALIASES -> {
                System.out.println("sendmail: nothing to do: Cartero reads the aliases file again whenever it changes");
                yield 0;
            }
            case FLUSH_QUEUE -> QueueCommand.flush(queueDirectory, System.out);
            case SEND -> send(parsed, queueDirectory, settings.config().hostname());
        };
    }

    private static int send(Sendmail.Arguments parsed, Path queueDirectory, String hostname) {
        Path maildrop = queueDirectory.resolve("maildrop");
        if (!Files.isDirectory(maildrop)) {
            System.err.println("sendmail: " + maildrop + " does not exist (or cannot be reached): start the server once to make it");
            return EX_TEMPFAIL;
        }
        try {
            Sendmail.submit(parsed, System.in, maildrop, hostname, System.getProperty("user.name"));
            return 0;
        } catch (Sendmail.UsageException e) {
            System.err.println("sendmail: " + e.getMessage());
            return EX_USAGE;
        } catch (IOException e) {
            System.err.println("sendmail: cannot leave the message in " + maildrop + ": " + e.getMessage());
            return EX_TEMPFAIL;
        }
    }
}
