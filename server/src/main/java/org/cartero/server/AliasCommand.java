package org.cartero.server;

import java.util.List;
import java.util.stream.Collectors;
import org.cartero.core.directory.AliasSource;
import org.cartero.core.directory.Directory;
import org.cartero.core.mail.MailAddress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cartero alias add|remove|list}: virtual aliases, an address (or {@code @domain}, the
 * catch-all for addresses of that domain that match nobody) leading to one or more addresses,
 * here or elsewhere.
 */
@Command(name = "alias", mixinStandardHelpOptions = true,
        description = "Manage virtual aliases: an address, or @domain as a catch-all, forwarding to other addresses.")
final class AliasCommand extends AdminCommand {

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Make SOURCE lead to the TARGETs too, e.g. alias add info@example.test alice@example.test bob@elsewhere.test")
    int add(@Parameters(index = "0", paramLabel = "SOURCE", converter = AliasSourceConverter.class,
                    description = "An address in one of our domains, or @domain for a catch-all.") AliasSource source,
            @Parameters(index = "1..*", arity = "1..*", paramLabel = "TARGET", converter = AddressConverter.class,
                    description = "Addresses here or elsewhere.") List<MailAddress> targets) throws Exception {
        List<MailAddress> added;
        try (Directory directory = openDirectory()) {
            added = directory.addAlias(source, targets);
        }
        if (added.isEmpty()) {
            System.out.println(source + " already leads to " + join(targets));
        } else {
            System.out.println(source + " -> " + join(added));
        }
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove the given TARGETs of an alias, or the whole alias when none is given.")
    int remove(@Parameters(index = "0", paramLabel = "SOURCE", converter = AliasSourceConverter.class) AliasSource source,
               @Parameters(index = "1..*", arity = "0..*", paramLabel = "TARGET", converter = AddressConverter.class)
               List<MailAddress> targets) throws Exception {
        List<MailAddress> which = targets == null ? List.of() : targets;
        try (Directory directory = openDirectory()) {
            directory.removeAlias(source, which);
        }
        System.out.println(which.isEmpty() ? "removed alias " + source : "removed " + join(which) + " from " + source);
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the aliases of one or every domain.")
    int list(@Parameters(paramLabel = "DOMAIN", arity = "0..1", description = "Only this domain.") String domain)
            throws Exception {
        try (Directory directory = openDirectory()) {
            for (Directory.VirtualAlias alias : directory.aliases(domain)) {
                System.out.println(alias.source() + " -> " + join(alias.targets()));
            }
        }
        return 0;
    }

    private static String join(List<MailAddress> addresses) {
        return addresses.stream().map(MailAddress::toString).collect(Collectors.joining(", "));
    }
}
