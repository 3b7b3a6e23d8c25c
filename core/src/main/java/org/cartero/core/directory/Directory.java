package org.cartero.core.directory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.cartero.core.config.Config;
import org.cartero.core.mail.MailAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who has mail here: the local domains and their users (the passwd file, the aliases file) and
 * the virtual domains, users and aliases (an SQLite database in data_dir). The running server
 * and the {@code cartero} commands open the directory at the same time; every query first
 * checks whether the database or a file changed (one cheap {@code PRAGMA data_version} and one
 * stat per file) and reads it again if so, so a change made by a command counts at once.
 * Thread-safe.
 */
public final class Directory implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Directory.class);

    /** The database's name in data_dir. */
    public static final String DATABASE = "directory.db";

    private final Config config;
    private final DirectoryStore store;
    private final WatchedFile<PasswdFile> passwd;
    private final WatchedFile<AliasesFile> aliases;
    private final ReentrantLock lock = new ReentrantLock();
    private long storeVersion;
    private Snapshot snapshot;

    private Directory(Config config, DirectoryStore store) {
        this.config = config;
        this.store = store;
        String firstLocalDomain = config.local().domains().getFirst();
        this.passwd = new WatchedFile<>(config.local().passwdFile(), file -> {
            PasswdFile loaded = PasswdFile.load(file, firstLocalDomain);
            loaded.warnings().forEach(w -> log.warn("{}", w));
            return loaded;
        }, loaded -> Set.of());
        this.aliases = new WatchedFile<>(config.local().aliasesFile(), file -> {
            AliasesFile loaded = AliasesFile.load(file);
            loaded.warnings().forEach(w -> log.warn("{}", w));
            return loaded;
        }, AliasesFile::filesRead);
    }

    /** Opens (and creates or migrates, when needed) the directory of {@code config}. */
    public static Directory open(Config config) throws DirectoryException {
        return new Directory(config, DirectoryStore.open(config.dataDir().resolve(DATABASE)));
    }

    // ---- Queries ----

    /** A local user by bare name or name@localdomain, a virtual user by full address; without case. */
    public Optional<Account> account(String login) throws DirectoryException {
        return current().account(login);
    }

    /** The local domains from the configuration, the hostname among them. */
    public List<String> localDomains() {
        return config.local().domains();
    }

    public boolean isLocalDomain(String domain) {
        return config.local().domains().contains(domain.toLowerCase(Locale.ROOT));
    }

    public boolean isVirtualDomain(String domain) throws DirectoryException {
        return current().isVirtualDomain(domain);
    }

    /** True for a local or a virtual domain: mail to it is ours to deliver or refuse. */
    public boolean isHostedDomain(String domain) throws DirectoryException {
        return isLocalDomain(domain) || isVirtualDomain(domain);
    }

    /**
     * Where mail to {@code recipient} goes: virtual aliases, then (for local domains) the aliases
     * file, then the user; with the recipient delimiter ({@code user+tag}) when nothing matches
     * the address as given, and the domain's catch-all ({@code @domain}) when nothing matches
     * at all. Aliases are followed recursively; loops and over-deep nesting are left out with a
     * logged warning.
     */
    public Resolution resolve(MailAddress recipient) throws DirectoryException {
        return current().resolve(recipient);
    }

    /**
     * The addresses {@code account} may send as: its own (for a local user, its name in every
     * local domain) and every alias that leads to it (catch-alls excepted), in lower case.
     */
    public List<MailAddress> addressesOf(Account account) throws DirectoryException {
        return current().addressesOf(account);
    }

    /** True when {@code address}, also with a detail after the recipient delimiter, is one of {@link #addressesOf}. */
    public boolean isAddressOf(Account account, MailAddress address) throws DirectoryException {
        return current().isAddressOf(account, address);
    }

    /** The stored password hash of a virtual user; empty when the user no longer exists. */
    public Optional<String> passwordHash(VirtualAccount account) throws DirectoryException {
        return current().passwordHash(account);
    }

    // ---- Administration ----

    /** The virtual domains, sorted. */
    public List<String> virtualDomains() throws DirectoryException {
        return current().stored().domains().stream().sorted().toList();
    }

    public void addDomain(String domain) throws DirectoryException {
        String name = domainName(domain);
        if (isLocalDomain(name)) {
            throw new DirectoryException(name + " is a local domain (the hostname or [local] domains in "
                    + config.file() + "); its users are the system's");
        }
        store.addDomain(name);
    }

    /** Removes a virtual domain; refused while it still has users or aliases. */
    public void removeDomain(String domain) throws DirectoryException {
        String name = domainName(domain);
        store.removeDomain(name);
    }

    /** A user of a virtual domain as the administrator sees it. */
    public record VirtualUser(MailAddress address, long quotaBytes) {}

    /** The virtual users of {@code domain}, or of every virtual domain when it is null, sorted by domain. */
    public List<VirtualUser> users(String domain) throws DirectoryException {
        List<VirtualUser> users = new ArrayList<>();
        for (DirectoryStore.User u : current().stored().users().values()) {
            if (domain == null || u.address().domain().equals(domain.toLowerCase(Locale.ROOT))) {
                users.add(new VirtualUser(u.address(), u.quotaBytes()));
            }
        }
        return users;
    }

    /**
     * Adds a user to a virtual domain that exists.
     *
     * @param passwordHash a hash made by {@code org.cartero.core.auth.Passwords}, or one imported
     * @param quotaBytes   0 for no limit
     */
    public void addUser(MailAddress address, String passwordHash, long quotaBytes) throws DirectoryException {
        MailAddress user = address.canonical();
        if (quotaBytes < 0) throw new DirectoryException("quota must not be negative");
        if (isLocalDomain(user.domain())) {
            throw new DirectoryException(user.domain() + " is a local domain: its users are the system's (useradd)");
        }
        store.addUser(user, passwordHash, quotaBytes);
    }

    public void setPasswordHash(MailAddress address, String passwordHash) throws DirectoryException {
        store.setPasswordHash(address.canonical(), passwordHash);
    }

    public void removeUser(MailAddress address) throws DirectoryException {
        store.removeUser(address.canonical());
    }

    /** A virtual alias: a source (an address or a catch-all) and the addresses it leads to. */
    public record VirtualAlias(AliasSource source, List<MailAddress> targets) {}

    /** The virtual aliases whose source is in {@code domain}, or all of them when it is null. */
    public List<VirtualAlias> aliases(String domain) throws DirectoryException {
        List<VirtualAlias> aliases = new ArrayList<>();
        current().stored().aliases().forEach((source, targets) -> {
            if (domain == null || source.domain().equals(domain.toLowerCase(Locale.ROOT))) {
                aliases.add(new VirtualAlias(source, targets));
            }
        });
        return aliases;
    }

    /**
     * Makes {@code source} lead to {@code targets} too (targets it already has are kept once).
     * The source's domain must be one of ours; targets may be anywhere.
     *
     * @return the targets that were new
     */
    public List<MailAddress> addAlias(AliasSource source, List<MailAddress> targets) throws DirectoryException {
        if (targets.isEmpty()) throw new DirectoryException("an alias needs at least one target");
        if (!isHostedDomain(source.domain())) {
            throw new DirectoryException(source.domain() + " is neither a local nor a virtual domain here");
        }
        List<MailAddress> distinct = List.copyOf(new LinkedHashSet<>(targets));
        return store.addAlias(source, distinct);
    }

    /** Removes the given targets of an alias, or the whole alias when {@code targets} is empty. */
    public void removeAlias(AliasSource source, List<MailAddress> targets) throws DirectoryException {
        store.removeAlias(source, targets);
    }

    @Override
    public void close() {
        store.close();
    }

    // ---- Keeping the snapshot current ----

    private Snapshot current() throws DirectoryException {
        lock.lock();
        try {
            Snapshot before = snapshot;
            DirectoryStore.Contents stored = before == null ? null : before.stored();
            long version = store.dataVersion();
            if (stored == null || version != storeVersion) {
                stored = store.load();
                storeVersion = version;
            }
            PasswdFile users = passwd.get();
            AliasesFile localAliases = aliases.get();
            if (before == null || stored != before.stored() || users != before.passwd()
                    || localAliases != before.aliasesFile()) {
                snapshot = new Snapshot(config.recipientDelimiter(), config.local().domains(), stored, users,
                        localAliases);
            }
            return snapshot;
        } catch (SQLException e) {
            throw new DirectoryException("cannot read the directory database: " + e.getMessage(), e);
        } catch (NoSuchFileException e) {
            throw new DirectoryException("cannot read " + e.getFile() + ": no such file", e);
        } catch (IOException e) {
            throw new DirectoryException("cannot read the passwd or aliases file: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static String domainName(String domain) throws DirectoryException {
        String name = domain.toLowerCase(Locale.ROOT);
        if (!MailAddress.isDomain(name)) throw new DirectoryException("not a valid domain name: \"" + domain + "\"");
        return name;
    }

}
