package org.cartero.core.directory;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cartero.core.mail.MailAddress;
import org.sqlite.SQLiteConfig;

/**
 * The virtual domains, users and aliases, kept in an SQLite database in WAL mode so that the
 * running server reads while a {@code cartero} command writes. The schema carries a version
 * ({@code PRAGMA user_version}); opening a database of an older version migrates it, one of a
 * newer version is refused. Every change is one transaction that checks what it needs inside
 * it, so two commands run at once cannot leave a user without a domain.
 */
final class DirectoryStore implements AutoCloseable {

    /** Migrations.get(v) brings a database from version v to v + 1. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE domains (
                name TEXT PRIMARY KEY NOT NULL,
                created_at INTEGER NOT NULL)""",
            """
            CREATE TABLE users (
                address TEXT PRIMARY KEY NOT NULL,
                domain TEXT NOT NULL REFERENCES domains(name),
                password_hash TEXT NOT NULL,
                quota_bytes INTEGER NOT NULL DEFAULT 0,
                created_at INTEGER NOT NULL)""",
            "CREATE INDEX users_by_domain ON users(domain)",
            """
            CREATE TABLE aliases (
                source TEXT NOT NULL,
                target TEXT NOT NULL,
                domain TEXT NOT NULL,
                PRIMARY KEY (source, target))""",
            "CREATE INDEX aliases_by_domain ON aliases(domain)"));

    static final int SCHEMA_VERSION = MIGRATIONS.size();

    record User(MailAddress address, String passwordHash, long quotaBytes) {}

    /** Everything the database holds, read in one transaction. */
    record Contents(Set<String> domains, Map<MailAddress, User> users, Map<AliasSource, List<MailAddress>> aliases) {}

    private final Path file;
    private final Connection reader;
    private final Connection writer;

    private DirectoryStore(Path file, Connection reader, Connection writer) {
        this.file = file;
        this.reader = reader;
        this.writer = writer;
    }

    static DirectoryStore open(Path file) throws DirectoryException {
        try {
            Files.createDirectories(file.getParent());
            // Password hashes live here: only the owner may read the file (SQLite gives the
            // -wal and -shm files the same permissions).
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // an existing directory
        } catch (IOException e) {
            throw new DirectoryException("cannot create the directory database " + file + ": " + e.getMessage(), e);
        }
        Connection writer = null;
        try {
            writer = connect(file);
            migrate(file, writer);
            Connection reader = connect(file);
            return new DirectoryStore(file, reader, writer);
        } catch (SQLException e) {
            closeQuietly(writer);
            throw new DirectoryException("cannot open the directory database " + file + ": " + e.getMessage(), e);
        } catch (DirectoryException e) {
            closeQuietly(writer);
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL); // a change the command reported is on disk
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        return config.createConnection("jdbc:sqlite:" + file);
    }

    private static void migrate(Path file, Connection connection) throws SQLException, DirectoryException {
        try (Statement s = connection.createStatement()) {
            s.execute("BEGIN IMMEDIATE");
            try {
                int version;
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    version = rs.getInt(1);
                }
                if (version > SCHEMA_VERSION) {
                    throw new DirectoryException(file + " has schema version " + version + ", made by a newer Cartero;"
                            + " this one knows versions up to " + SCHEMA_VERSION);
                }
                for (int v = version; v < SCHEMA_VERSION; v++) {
                    for (String sql : MIGRATIONS.get(v)) s.execute(sql);
                }
                if (version != SCHEMA_VERSION) s.execute("PRAGMA user_version = " + SCHEMA_VERSION);
                s.execute("COMMIT");
            } catch (SQLException | DirectoryException | RuntimeException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        }
    }

    /**
     * A number that changes whenever another connection (another process, or this store's
     * writer) has committed a change since the last call: SQLite's {@code PRAGMA data_version}.
     */
    synchronized long dataVersion() throws SQLException {
        try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            return rs.getLong(1);
        }
    }

    synchronized Contents load() throws SQLException {
        try (Statement s = reader.createStatement()) {
            s.execute("BEGIN");
            try {
                Set<String> domains = new LinkedHashSet<>();
                try (ResultSet rs = s.executeQuery("SELECT name FROM domains ORDER BY name")) {
                    while (rs.next()) domains.add(rs.getString(1));
                }
                Map<MailAddress, User> users = new LinkedHashMap<>();
                try (ResultSet rs = s.executeQuery(
                        "SELECT address, password_hash, quota_bytes FROM users ORDER BY domain, address")) {
                    while (rs.next()) {
                        MailAddress address = MailAddress.parse(rs.getString(1));
                        users.put(address, new User(address, rs.getString(2), rs.getLong(3)));
                    }
                }
                Map<AliasSource, List<MailAddress>> aliases = new LinkedHashMap<>();
                try (ResultSet rs = s.executeQuery("SELECT source, target FROM aliases ORDER BY domain, source, rowid")) {
                    while (rs.next()) {
                        aliases.computeIfAbsent(AliasSource.parse(rs.getString(1)), k -> new ArrayList<>())
                                .add(MailAddress.parse(rs.getString(2)));
                    }
                }
                aliases.replaceAll((source, targets) -> List.copyOf(targets));
                return new Contents(Set.copyOf(domains), users, aliases);
            } finally {
                s.execute("COMMIT");
            }
        }
    }

    void addDomain(String domain) throws DirectoryException {
        write(c -> {
            if (exists(c, "SELECT 1 FROM domains WHERE name = ?", domain)) {
                throw new DirectoryException("domain " + domain + " already exists");
            }
            update(c, "INSERT INTO domains (name, created_at) VALUES (?, ?)", domain, System.currentTimeMillis());
            return null;
        });
    }

    void removeDomain(String domain) throws DirectoryException {
        write(c -> {
            if (!exists(c, "SELECT 1 FROM domains WHERE name = ?", domain)) {
                throw new DirectoryException("no virtual domain " + domain);
            }
            long users = count(c, "SELECT count(*) FROM users WHERE domain = ?", domain);
            long aliases = count(c, "SELECT count(DISTINCT source) FROM aliases WHERE domain = ?", domain);
            if (users > 0 || aliases > 0) {
                throw new DirectoryException("domain " + domain + " still has " + plural(users, "user") + " and "
                        + plural(aliases, "alias", "aliases") + "; remove them first");
            }
            update(c, "DELETE FROM domains WHERE name = ?", domain);
            return null;
        });
    }

    void addUser(MailAddress address, String passwordHash, long quotaBytes) throws DirectoryException {
        write(c -> {
            if (!exists(c, "SELECT 1 FROM domains WHERE name = ?", address.domain())) {
                throw new DirectoryException("no virtual domain " + address.domain() + "; add the domain first");
            }
            if (exists(c, "SELECT 1 FROM users WHERE address = ?", address.toString())) {
                throw new DirectoryException("user " + address + " already exists");
            }
            update(c, "INSERT INTO users (address, domain, password_hash, quota_bytes, created_at) VALUES (?, ?, ?, ?, ?)",
                    address.toString(), address.domain(), passwordHash, quotaBytes, System.currentTimeMillis());
            return null;
        });
    }

    void setPasswordHash(MailAddress address, String passwordHash) throws DirectoryException {
        write(c -> {
            if (update(c, "UPDATE users SET password_hash = ? WHERE address = ?", passwordHash, address.toString()) == 0) {
                throw new DirectoryException("no user " + address);
            }
            return null;
        });
    }

    void removeUser(MailAddress address) throws DirectoryException {
        write(c -> {
            if (update(c, "DELETE FROM users WHERE address = ?", address.toString()) == 0) {
                throw new DirectoryException("no user " + address);
            }
            return null;
        });
    }

    /** Adds the targets the alias does not have yet and returns them. */
    List<MailAddress> addAlias(AliasSource source, List<MailAddress> targets) throws DirectoryException {
        return write(c -> {
            List<MailAddress> added = new ArrayList<>();
            for (MailAddress target : targets) {
                if (!exists(c, "SELECT 1 FROM aliases WHERE source = ? AND lower(target) = lower(?)",
                        source.toString(), target.toString())) {
                    update(c, "INSERT INTO aliases (source, target, domain) VALUES (?, ?, ?)",
                            source.toString(), target.toString(), source.domain());
                    added.add(target);
                }
            }
            return added;
        });
    }

    /** Removes the given targets of an alias, or all of them when {@code targets} is empty. */
    void removeAlias(AliasSource source, List<MailAddress> targets) throws DirectoryException {
        write(c -> {
            if (!exists(c, "SELECT 1 FROM aliases WHERE source = ?", source.toString())) {
                throw new DirectoryException("no alias " + source);
            }
            if (targets.isEmpty()) {
                update(c, "DELETE FROM aliases WHERE source = ?", source.toString());
                return null;
            }
            for (MailAddress target : targets) {
                if (update(c, "DELETE FROM aliases WHERE source = ? AND lower(target) = lower(?)",
                        source.toString(), target.toString()) == 0) {
                    throw new DirectoryException("alias " + source + " does not lead to " + target);
                }
            }
            return null;
        });
    }

    @Override
    public synchronized void close() {
        closeQuietly(reader);
        synchronized (writer) {
            closeQuietly(writer);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException, DirectoryException;
    }

    /** Runs {@code work} in one write transaction: all of it is committed, or nothing. */
    private <T> T write(Work<T> work) throws DirectoryException {
        synchronized (writer) {
            try (Statement s = writer.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                try {
                    T result = work.run(writer);
                    s.execute("COMMIT");
                    return result;
                } catch (SQLException | DirectoryException | RuntimeException e) {
                    s.execute("ROLLBACK");
                    throw e;
                }
            } catch (SQLException e) {
                throw new DirectoryException("cannot write the directory database " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static boolean exists(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, parameters);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static long count(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, parameters);
            try (ResultSet rs = p.executeQuery()) {
                return rs.getLong(1);
            }
        }
    }

    private static int update(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            bind(p, parameters);
            return p.executeUpdate();
        }
    }

    private static void bind(PreparedStatement p, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) p.setObject(i + 1, parameters[i]);
    }

    private static String plural(long n, String one) {
        return plural(n, one, one + "s");
    }

    private static String plural(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to do with it
        }
    }
}
