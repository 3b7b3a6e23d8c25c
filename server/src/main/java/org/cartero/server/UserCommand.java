package org.cartero.server;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.cartero.core.auth.Passwords;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cartero user add|passwd|remove|list}: the users of virtual domains. A password is read
 * from standard input or asked for twice on the terminal, never taken from the command line
 * (where ps and the shell history would show it). A hash made elsewhere (Dovecot's
 * {@code {SHA512-CRYPT}$6$...}, bcrypt, argon2) can be imported instead.
 */
@Command(name = "user", mixinStandardHelpOptions = true,
        description = "Manage the users of virtual domains (local users are the system's).")
final class UserCommand extends AdminCommand {

    @Spec
    CommandLine.Model.CommandSpec spec;

    /** Where the new password comes from. */
    static final class Secret {
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
        boolean passwordStdin;

        @Option(names = "--hash-stdin", description = "Read a password hash from standard input instead"
                + " (argon2, bcrypt, SHA512-CRYPT and other Dovecot schemes), to move a user from another server.")
        boolean hashStdin;
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a user to a virtual domain.")
    int add(@Parameters(paramLabel = "ADDRESS", converter = AddressConverter.class) MailAddress address,
            @Option(names = "--quota", paramLabel = "SIZE", converter = SizeConverter.class, defaultValue = "0",
                    description = "Storage limit, e.g. 500M or 2G (default: none).") long quota,
            @CommandLine.ArgGroup(exclusive = true) Secret secret) throws Exception {
        try (Directory directory = openDirectory()) {
            // Checked before asking for the password; addUser checks again in its transaction.
            if (directory.isLocalDomain(address.domain())) {
                throw new CommandException(address.domain() + " is a local domain: its users are the system's (useradd)");
            }
            if (!directory.isVirtualDomain(address.domain())) {
                throw new CommandException("no virtual domain " + address.domain() + "; add it first with: cartero domain add "
                        + address.domain());
            }
            if (directory.account(address.toString()).isPresent()) {
                throw new CommandException("user " + address.canonical() + " already exists");
            }
            directory.addUser(address, newHash(address, secret), quota);
        }
        System.out.println("added user " + address.canonical() + (quota == 0 ? "" : " with quota " + formatSize(quota)));
        return 0;
    }

    @Command(name = "passwd", mixinStandardHelpOptions = true, description = "Set a user's password.")
    int passwd(@Parameters(paramLabel = "ADDRESS", converter = AddressConverter.class) MailAddress address,
               @CommandLine.ArgGroup(exclusive = true) Secret secret) throws Exception {
        try (Directory directory = openDirectory()) {
            if (directory.isLocalDomain(address.domain())) {
                throw new CommandException(address.canonical() + " is a local user: change the password with passwd(1)");
            }
            if (directory.account(address.toString()).isEmpty()) throw new CommandException("no user " + address.canonical());
            directory.setPasswordHash(address, newHash(address, secret));
        }
        System.out.println("changed the password of " + address.canonical());
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a user (the mail already stored for it is kept on disk).")
    int remove(@Parameters(paramLabel = "ADDRESS", converter = AddressConverter.class) MailAddress address) throws Exception {
        try (Directory directory = openDirectory()) {
            directory.removeUser(address);
        }
        System.out.println("removed user " + address.canonical());
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the users of one or every virtual domain.")
    int list(@Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "Only this domain.") String domain)
            throws Exception {
        try (Directory directory = openDirectory()) {
            for (Directory.VirtualUser user : directory.users(domain)) {
                System.out.printf("%-40s quota %s%n", user.address(), formatSize(user.quotaBytes()));
            }
        }
        return 0;
    }

    private String newHash(MailAddress address, Secret secret) throws CommandException, IOException {
        if (secret != null && secret.hashStdin) {
            String hash = firstLineOfStdin("password hash");
            if (!Passwords.isSupported(hash)) {
                throw new CommandException("not a password hash Cartero can check: use argon2id/argon2i, bcrypt ($2y$, $2b$),"
                        + " SHA512-CRYPT ($6$), SHA256-CRYPT ($5$) or MD5-CRYPT ($1$), with or without Dovecot's {SCHEME} prefix");
            }
            return hash;
        }
        String password = secret != null && secret.passwordStdin ? firstLineOfStdin("password") : askTwice(address);
        return Passwords.hash(password);
    }

    private static String firstLineOfStdin(String what) throws CommandException, IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null || line.isEmpty()) throw new CommandException("no " + what + " on standard input");
        return line;
    }

    private String askTwice(MailAddress address) throws CommandException {
        Console console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new CommandException("no terminal to ask for the password on; give it with --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", address.canonical());
        char[] second = first == null ? null : console.readPassword("Again: ");
        try {
            if (first == null || second == null) throw new CommandException("no password given");
            if (first.length == 0) throw new CommandException("the password must not be empty");
            if (!Arrays.equals(first, second)) throw new CommandException("the two passwords differ; nothing changed");
            return new String(first);
        } finally {
            if (first != null) Arrays.fill(first, '\0');
            if (second != null) Arrays.fill(second, '\0');
        }
    }
}
