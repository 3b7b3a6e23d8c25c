package org.cartero.store.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One account's index: an SQLite database in WAL mode that keeps, per folder, UIDVALIDITY,
 * UIDNEXT and HIGHESTMODSEQ, and per message its UID, flags, MODSEQ, internal date, sizes,
 * where it lies, and its parsed envelope and MIME tree; plus tombstones of expunged UIDs.
 *
 * <p>It is a cache of the mail files, which are the truth: {@code synchronous=NORMAL} may lose
 * the last commits on power loss, and the store's synchronisation with the files repairs that;
 * a damaged database is moved aside and rebuilt. Writers take the database's write lock at the
 * start ({@code BEGIN IMMEDIATE}), which orders UID allocation across threads and across
 * processes (the CLI, a second server); readers use their own connections and never wait on
 * writers, as WAL allows.
 */
public final class UserIndex implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(UserIndex.class);
    private static final int SCHEMA_VERSION = 1;
    private static final int BUSY_TIMEOUT_MS = 60_000;

    /** A unit of work inside a transaction. */
    @FunctionalInterface
    public interface Work<T> {
        T run(IndexTx tx) throws SQLException, IOException;
    }

    private record Session(Connection connection, Map<String, PreparedStatement> statements) {}

    private final Path file;
    private final ReentrantLock writeLock = new ReentrantLock();
    private Session writer; // opened when needed, closed when idle; guarded by writeLock
    private volatile long lastUse = System.nanoTime();
    private final ConcurrentLinkedQueue<Session> readers = new ConcurrentLinkedQueue<>();
    private final List<Session> allReaders = new ArrayList<>();
    private final boolean created;
    private volatile boolean closed;
    private volatile boolean damaged;

    private UserIndex(Path file, Session writer, boolean created) {
        this.file = file;
        this.writer = writer; // the connection that checked the schema
        this.created = created;
    }

    /**
     * Opens (or creates) the index at {@code file}. A file that is not a readable index of this
     * schema is moved aside to NAME.damaged-TIME and a fresh one created; {@link #isNew()} then
     * tells the caller to rebuild from the mail files.
     */
    public static UserIndex open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        boolean existed = Files.exists(file);
        try {
            return new UserIndex(file, openChecked(file), !existed);
        } catch (SQLException e) {
            if (!existed) throw new IOException("cannot create index " + file + ": " + e.getMessage(), e);
            log.warn("index {} cannot be read: {}", file, e.getMessage());
            moveAside(file, "damaged");
            try {
                return new UserIndex(file, openChecked(file), true);
            } catch (SQLException again) {
                throw new IOException("cannot create index " + file + ": " + again.getMessage(), again);
            }
        }
    }

    private static Session openChecked(Path file) throws SQLException {
        Connection c = connect(file);
        try {
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA journal_mode=WAL");
                st.executeUpdate("BEGIN IMMEDIATE");
                try {
                    int version;
                    try (var rs = st.executeQuery("PRAGMA user_version")) {
                        rs.next();
                        version = rs.getInt(1);
                    }
                    if (version == 0) {
                        createSchema(st);
                    } else if (version != SCHEMA_VERSION) {
                        throw new SQLException("index schema version " + version + ", expected " + SCHEMA_VERSION);
                    }
                    try (var rs = st.executeQuery("SELECT count(*) FROM folder")) {
                        rs.next(); // reads the schema and a table: a file that is no index fails here
                    }
                    st.executeUpdate("COMMIT");
                } catch (SQLException e) {
                    try { st.executeUpdate("ROLLBACK"); } catch (SQLException ignored) { /* reported below */ }
                    throw e;
                }
            }
            return new Session(c, new HashMap<>());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("PRAGMA mmap_size=268435456");
            st.execute("PRAGMA cache_size=-1024"); // 1 MB at most: thousands of accounts may be open at once
        }
        c.setAutoCommit(true);
        return c;
    }

    private static void createSchema(Statement st) throws SQLException {
        st.executeUpdate("""
                CREATE TABLE folder(
                  id INTEGER PRIMARY KEY,
                  name TEXT NOT NULL UNIQUE,
                  uidvalidity INTEGER NOT NULL,
                  uidnext INTEGER NOT NULL,
                  highestmodseq INTEGER NOT NULL,
                  tombstone_floor INTEGER NOT NULL DEFAULT 0,
                  special_use TEXT,
                  messages INTEGER NOT NULL DEFAULT 0,
                  unseen INTEGER NOT NULL DEFAULT 0,
                  size INTEGER NOT NULL DEFAULT 0,
                  sync_state TEXT,
                  keywords TEXT)""");
        st.executeUpdate("""
                CREATE TABLE message(
                  folder_id INTEGER NOT NULL,
                  uid INTEGER NOT NULL,
                  modseq INTEGER NOT NULL,
                  flags INTEGER NOT NULL,
                  keywords TEXT,
                  internal_date INTEGER NOT NULL,
                  size INTEGER NOT NULL,
                  stored_size INTEGER NOT NULL,
                  file TEXT,
                  mbox_offset INTEGER NOT NULL,
                  mbox_content INTEGER NOT NULL,
                  mbox_end INTEGER NOT NULL,
                  fingerprint INTEGER NOT NULL,
                  mbox_status INTEGER NOT NULL DEFAULT 0,
                  PRIMARY KEY(folder_id, uid)) WITHOUT ROWID""");
        st.executeUpdate("CREATE INDEX message_modseq ON message(folder_id, modseq)");
        st.executeUpdate("""
                CREATE TABLE structure(
                  folder_id INTEGER NOT NULL,
                  uid INTEGER NOT NULL,
                  envelope BLOB NOT NULL,
                  tree BLOB NOT NULL,
                  PRIMARY KEY(folder_id, uid))""");
        st.executeUpdate("""
                CREATE TABLE expunged(
                  folder_id INTEGER NOT NULL,
                  uid INTEGER NOT NULL,
                  modseq INTEGER NOT NULL,
                  PRIMARY KEY(folder_id, uid)) WITHOUT ROWID""");
        st.executeUpdate("CREATE INDEX expunged_modseq ON expunged(folder_id, modseq)");
        // The folder counters follow the messages by trigger, so no code path can forget them.
        st.executeUpdate("""
                CREATE TRIGGER message_added AFTER INSERT ON message BEGIN
                  UPDATE folder SET messages = messages + 1, unseen = unseen + ((NEW.flags & 1) = 0),
                    size = size + NEW.size WHERE id = NEW.folder_id;
                END""");
        st.executeUpdate("""
                CREATE TRIGGER message_removed AFTER DELETE ON message BEGIN
                  UPDATE folder SET messages = messages - 1, unseen = unseen - ((OLD.flags & 1) = 0),
                    size = size - OLD.size WHERE id = OLD.folder_id;
                END""");
        st.executeUpdate("""
                CREATE TRIGGER message_changed AFTER UPDATE OF flags, size ON message BEGIN
                  UPDATE folder SET unseen = unseen - ((OLD.flags & 1) = 0) + ((NEW.flags & 1) = 0),
                    size = size - OLD.size + NEW.size WHERE id = NEW.folder_id;
                END""");
        st.executeUpdate("PRAGMA user_version=" + SCHEMA_VERSION);
    }

    /** True when a query found the database damaged: reopen with {@link #openFresh}. */
    public boolean isDamaged() {
        return damaged;
    }

    /** Moves a damaged index aside and creates an empty one (to be rebuilt from the files). */
    public static UserIndex openFresh(Path file) throws IOException {
        moveAside(file, "damaged");
        return open(file);
    }

    private static void moveAside(Path file, String why) throws IOException {
        if (!Files.exists(file)) return;
        Path aside = file.resolveSibling(file.getFileName() + "." + why + "-" + System.currentTimeMillis());
        log.warn("index {} moved to {}; it is rebuilt from the mail files", file, aside);
        Files.move(file, aside);
        for (String suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    /** True when the index was just created (or recreated after damage): rebuild it from the files. */
    public boolean isNew() {
        return created;
    }

    public Path file() {
        return file;
    }

    /**
     * Runs {@code work} in a write transaction. Only one runs at a time, in this process
     * (a lock) and across processes (SQLite's write lock, waited for up to a minute).
     */
    public <T> T write(Work<T> work) throws IOException {
        writeLock.lock();
        try {
            lastUse = System.nanoTime();
            if (writer == null) writer = session();
            return inTransaction(writer, "BEGIN IMMEDIATE", work);
        } finally {
            writeLock.unlock();
        }
    }

    /** Runs {@code work} in a read transaction: one consistent snapshot, never blocking writers. */
    public <T> T read(Work<T> work) throws IOException {
        return read(work, true);
    }

    /**
     * Runs one statement's worth of reading without an explicit transaction (the statement is
     * its own snapshot): saves the BEGIN and COMMIT round trips on the hottest path, reading
     * one message.
     */
    public <T> T readOne(Work<T> work) throws IOException {
        return read(work, false);
    }

    private <T> T read(Work<T> work, boolean transaction) throws IOException {
        if (writeLock.isHeldByCurrentThread()) return work(writer, work); // inside a write: see its own changes
        lastUse = System.nanoTime();
        Session s = readers.poll();
        if (s == null) {
            s = session();
            synchronized (allReaders) {
                allReaders.add(s);
            }
        }
        try {
            return transaction ? inTransaction(s, "BEGIN", work) : work(s, work);
        } finally {
            release(s);
        }
    }

    private Session session() throws IOException {
        if (closed) throw new IOException("index " + file + " is closed");
        try {
            return new Session(connect(file), new HashMap<>());
        } catch (SQLException e) {
            throw new IOException("cannot open index " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Closes the connections when the index has not been used for {@code idle}; they open
     * again on the next use. An account whose sessions only wait (IMAP IDLE) then costs no
     * SQLite memory: thousands of waiting users stay cheap.
     */
    public void closeIdle(java.time.Duration idle) {
        if (System.nanoTime() - lastUse < idle.toNanos() || !writeLock.tryLock()) return;
        try {
            if (writer != null) {
                closeQuietly(writer);
                writer = null;
            }
            for (Session s; (s = readers.poll()) != null; ) {
                synchronized (allReaders) {
                    allReaders.remove(s);
                }
                closeQuietly(s);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Keeps one idle reader connection per account; more are closed, so that an account whose
     * sessions once read in parallel does not keep their connections (and caches) for good.
     */
    private void release(Session s) {
        if (readers.isEmpty() && !closed) {
            readers.add(s);
            return;
        }
        synchronized (allReaders) {
            allReaders.remove(s);
        }
        closeQuietly(s);
    }

    /** True when the calling thread is inside {@link #write}. */
    public boolean inWrite() {
        return writeLock.isHeldByCurrentThread();
    }

    /** Runs {@code work} between {@code begin} and COMMIT; the three statements are prepared once per connection. */
    private <T> T inTransaction(Session s, String begin, Work<T> work) throws IOException {
        if (closed) throw new IOException("index " + file + " is closed");
        try {
            IndexTx tx = new IndexTx(s.connection(), s.statements());
            tx.execute(begin);
            boolean done = false;
            try {
                T result = work.run(tx);
                tx.execute("COMMIT");
                done = true;
                return result;
            } finally {
                if (!done) {
                    try {
                        tx.execute("ROLLBACK");
                    } catch (SQLException e) {
                        log.debug("rollback of {} failed: {}", file, e.getMessage());
                    }
                }
            }
        } catch (SQLException e) {
            throw indexFailure(e);
        }
    }

    private <T> T work(Session s, Work<T> work) throws IOException {
        try {
            return work.run(new IndexTx(s.connection(), s.statements()));
        } catch (SQLException e) {
            throw indexFailure(e);
        }
    }

    private IOException indexFailure(SQLException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("SQLITE_CORRUPT") || message.contains("SQLITE_NOTADB")) {
            damaged = true;
            log.warn("index {} is damaged: {}; it is rebuilt when the account is next opened", file, message);
        }
        if (message.contains("SQLITE_FULL") || message.contains("disk is full") || message.contains("SQLITE_IOERR")) {
            return new org.cartero.store.StorageFullException("index " + file + ": " + message, e);
        }
        return new IOException("index " + file + ": " + message, e);
    }

    @Override
    public void close() {
        closed = true;
        writeLock.lock();
        try {
            if (writer != null) closeQuietly(writer);
            synchronized (allReaders) {
                allReaders.forEach(UserIndex::closeQuietly);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Session s) {
        try {
            for (PreparedStatement ps : s.statements().values()) ps.close();
            s.connection().close();
        } catch (SQLException e) {
            log.debug("closing index connection: {}", e.getMessage());
        }
    }
}
