package org.cartero.core.directory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.directory.AliasesFile.AliasTarget;
import org.cartero.core.mail.MailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the directory knows at one moment, immutable: the domains, the local users of the
 * passwd file, the virtual users, the virtual aliases and the local aliases file. It answers
 * every query; {@link Directory} makes a new one when a source changes.
 */
final class Snapshot {
    private static final Logger log = LoggerFactory.getLogger(Directory.class);

    /** How deep aliases may lead to aliases (Postfix allows 1000; nobody needs more than a few). */
    static final int MAX_DEPTH = 20;
    /** How many destinations one recipient may expand to. */
    static final int MAX_DESTINATIONS = 1000;

    private final String delimiter;
    private final List<String> localDomains;
    private final DirectoryStore.Contents stored;
    private final PasswdFile passwd;
    private final AliasesFile aliasesFile;
    private Map<String, List<MailAddress>> aliasesByAccount; // built on first use

    Snapshot(String delimiter, List<String> localDomains, DirectoryStore.Contents stored, PasswdFile passwd,
             AliasesFile aliasesFile) {
        this.delimiter = delimiter;
        this.localDomains = localDomains;
        this.stored = stored;
        this.passwd = passwd;
        this.aliasesFile = aliasesFile;
    }

    DirectoryStore.Contents stored() { return stored; }

    PasswdFile passwd() { return passwd; }

    AliasesFile aliasesFile() { return aliasesFile; }

    boolean isLocalDomain(String domain) {
        return localDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    boolean isVirtualDomain(String domain) {
        return stored.domains().contains(domain.toLowerCase(Locale.ROOT));
    }

    boolean isHostedDomain(String domain) {
        return isLocalDomain(domain) || isVirtualDomain(domain);
    }

    /** A local user by bare name or name@localdomain, a virtual user by address; without case. */
    Optional<Account> account(String login) {
        if (login == null || login.isEmpty()) return Optional.empty();
        if (login.indexOf('@') < 0) return Optional.ofNullable(passwd.users().get(login.toLowerCase(Locale.ROOT)));
        MailAddress address;
        try {
            address = MailAddress.parse(login).canonical();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return mailbox(address.localPart(), address.domain());
    }

    Optional<String> passwordHash(VirtualAccount account) {
        DirectoryStore.User user = stored.users().get(account.address().canonical());
        return user == null ? Optional.empty() : Optional.of(user.passwordHash());
    }

    Resolution resolve(MailAddress recipient) {
        if (!isHostedDomain(recipient.domain())) return new Resolution.NotOurs();
        Expansion expansion = new Expansion(recipient, true);
        if (!expansion.expand(recipient, Optional.empty(), 0) || expansion.found.isEmpty()) {
            return new Resolution.Unknown();
        }
        return new Resolution.Deliver(List.copyOf(expansion.found.values()));
    }

    /** The account's own addresses first, then every alias that leads to it. */
    List<MailAddress> addressesOf(Account account) {
        Set<MailAddress> addresses = new LinkedHashSet<>();
        switch (account) {
            case VirtualAccount v -> addresses.add(v.address().canonical());
            case LocalAccount l -> {
                for (String domain : localDomains) addresses.add(new MailAddress(l.name(), domain).canonical());
            }
        }
        addresses.addAll(aliasesByAccount().getOrDefault(account.name(), List.of()));
        return List.copyOf(addresses);
    }

    /** True when {@code address} is one of {@link #addressesOf}, also with a detail after the delimiter. */
    boolean isAddressOf(Account account, MailAddress address) {
        List<MailAddress> own = addressesOf(account);
        MailAddress canonical = address.canonical();
        if (own.contains(canonical)) return true;
        int at = delimiter.isEmpty() ? -1 : canonical.localPart().indexOf(delimiter);
        return at > 0 && own.contains(new MailAddress(canonical.localPart().substring(0, at), canonical.domain()));
    }

    private synchronized Map<String, List<MailAddress>> aliasesByAccount() {
        if (aliasesByAccount != null) return aliasesByAccount;
        List<MailAddress> sources = new ArrayList<>();
        for (AliasSource source : stored.aliases().keySet()) {
            if (!source.isCatchAll()) sources.add(source.address());
        }
        for (String name : aliasesFile.aliases().keySet()) {
            for (String domain : localDomains) sources.add(new MailAddress(name, domain));
        }
        Map<String, List<MailAddress>> index = new HashMap<>();
        for (MailAddress source : sources) {
            Expansion expansion = new Expansion(source, false);
            expansion.expand(source, Optional.empty(), 0);
            for (Resolution.Destination d : expansion.found.values()) {
                if (d instanceof Resolution.Mailbox m) {
                    index.computeIfAbsent(m.account().name(), k -> new ArrayList<>()).add(source);
                }
            }
        }
        aliasesByAccount = index;
        return index;
    }

    private Optional<Account> mailbox(String localPart, String domain) {
        if (isLocalDomain(domain)) {
            LocalAccount local = passwd.users().get(localPart);
            if (local != null) return Optional.of(local);
        }
        if (isVirtualDomain(domain)) {
            DirectoryStore.User user = stored.users().get(new MailAddress(localPart, domain));
            if (user != null) return Optional.of(new VirtualAccount(user.address(), user.quotaBytes()));
        }
        return Optional.empty();
    }

    /** One recipient's expansion: depth-first through the aliases, keeping the path to find loops. */
    private final class Expansion {
        private final MailAddress recipient;
        private final boolean logWarnings;
        private final Deque<MailAddress> path = new ArrayDeque<>();
        private final Map<String, Resolution.Destination> found = new LinkedHashMap<>();
        private boolean overflowed;

        Expansion(MailAddress recipient, boolean logWarnings) {
            this.recipient = recipient;
            this.logWarnings = logWarnings;
        }

        /** False when the address is in one of our domains and nothing here has it. */
        boolean expand(MailAddress address, Optional<String> detail, int depth) {
            MailAddress key = address.canonical();
            if (!isHostedDomain(key.domain())) {
                add("forward:" + key, new Resolution.Forward(address));
                return true;
            }
            if (depth > MAX_DEPTH) {
                warn("aliases nest deeper than " + MAX_DEPTH + " at " + key + ", left out");
                return true;
            }
            if (path.contains(key)) {
                // An alias that names itself ("alice: alice, archive@...") keeps a copy in its own mailbox.
                Optional<Account> own = mailbox(key.localPart(), key.domain());
                if (own.isPresent()) {
                    addMailbox(own.get(), detail);
                } else {
                    warn("alias loop through " + key + ", left out");
                }
                return true;
            }
            path.push(key);
            try {
                if (expandExact(key.localPart(), key.domain(), detail, depth)) return true;
                int at = delimiter.isEmpty() ? -1 : key.localPart().indexOf(delimiter);
                if (at > 0) {
                    String tag = key.localPart().substring(at + delimiter.length());
                    Optional<String> ownDetail = tag.isEmpty() ? detail : Optional.of(tag);
                    if (expandExact(key.localPart().substring(0, at), key.domain(), ownDetail, depth)) return true;
                }
                List<MailAddress> catchAll = stored.aliases().get(AliasSource.catchAll(key.domain()));
                if (catchAll == null) return false;
                for (MailAddress target : catchAll) expandTarget(key, target, Optional.empty(), depth);
                return true;
            } finally {
                path.pop();
            }
        }

        /** An exact match for localPart@domain: a virtual alias, a local alias, or a mailbox. */
        private boolean expandExact(String localPart, String domain, Optional<String> detail, int depth) {
            MailAddress source = new MailAddress(localPart, domain);
            List<MailAddress> virtualTargets = stored.aliases().get(AliasSource.of(source));
            if (virtualTargets != null) {
                for (MailAddress target : virtualTargets) expandTarget(source, target, detail, depth);
                return true;
            }
            List<AliasTarget> localTargets = isLocalDomain(domain) ? aliasesFile.aliases().get(localPart) : null;
            if (localTargets != null) {
                for (AliasTarget target : localTargets) {
                    switch (target) {
                        case AliasTarget.Address a -> expandTarget(source, a.address(), detail, depth);
                        case AliasTarget.LocalName n when n.literal() -> {
                            Optional<Account> account = mailbox(n.name(), domain);
                            if (account.isPresent()) {
                                addMailbox(account.get(), detail);
                            } else {
                                warn("alias " + source + " leads to \\" + n.name() + ", who is not a local user, left out");
                            }
                        }
                        case AliasTarget.LocalName n -> expandTarget(source, new MailAddress(n.name(), domain), detail, depth);
                    }
                }
                return true;
            }
            Optional<Account> account = mailbox(localPart, domain);
            account.ifPresent(a -> addMailbox(a, detail));
            return account.isPresent();
        }

        private void expandTarget(MailAddress source, MailAddress target, Optional<String> detail, int depth) {
            if (!expand(target, detail, depth + 1)) {
                warn("alias " + source + " leads to " + target + ", which does not exist, left out");
            }
        }

        private void addMailbox(Account account, Optional<String> detail) {
            add("mailbox:" + account.name(), new Resolution.Mailbox(account, detail));
        }

        private void add(String key, Resolution.Destination destination) {
            if (found.containsKey(key)) return;
            if (found.size() >= MAX_DESTINATIONS) {
                if (!overflowed) warn("expands to more than " + MAX_DESTINATIONS + " destinations, the rest left out");
                overflowed = true;
                return;
            }
            found.put(key, destination);
        }

        private void warn(String problem) {
            if (logWarnings) log.warn("resolving {}: {}", recipient, problem);
        }
    }
}
