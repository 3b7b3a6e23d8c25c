package org.cartero.server;

import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.cartero.core.directory.Directory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cartero domain add|remove|list}: the virtual domains. */
@Command(name = "domain", mixinStandardHelpOptions = true,
        description = "Manage virtual domains (local domains are set in the configuration file).")
final class DomainCommand extends AdminCommand {

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Add a virtual domain.")
    int add(@Parameters(paramLabel = "DOMAIN", description = "e.g. example.org") String domain) throws Exception {
        try (Directory directory = openDirectory()) {
            directory.addDomain(domain);
        }
        System.out.println("added domain " + domain.toLowerCase(Locale.ROOT));
        return 0;
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a virtual domain that has no users and no aliases left.")
    int remove(@Parameters(paramLabel = "DOMAIN") String domain) throws Exception {
        try (Directory directory = openDirectory()) {
            directory.removeDomain(domain);
        }
        System.out.println("removed domain " + domain.toLowerCase(Locale.ROOT));
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the virtual domains with their numbers of users and aliases, then the local domains.")
    int list() throws Exception {
        try (Directory directory = openDirectory()) {
            Map<String, Long> users = directory.users(null).stream()
                    .collect(Collectors.groupingBy(u -> u.address().domain(), Collectors.counting()));
            Map<String, Long> aliases = directory.aliases(null).stream()
                    .collect(Collectors.groupingBy(a -> a.source().domain(), Collectors.counting()));
            for (String domain : directory.virtualDomains()) {
                long u = users.getOrDefault(domain, 0L);
                long a = aliases.getOrDefault(domain, 0L);
                System.out.printf("%-30s virtual  %d %s, %d %s%n", domain, u, u == 1 ? "user" : "users",
                        a, a == 1 ? "alias" : "aliases");
            }
            for (String domain : directory.localDomains()) System.out.printf("%-30s local%n", domain);
        }
        return 0;
    }
}
