package org.cartero.store.embedded;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.cartero.core.config.Config;
import org.cartero.core.config.ConfigException;
import org.cartero.core.config.ConfigFile;
import org.cartero.core.config.ConfigSection;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.LocalAccount;
import org.cartero.core.directory.VirtualAccount;
import org.cartero.store.AccountStore;
import org.cartero.store.MailStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store as files: virtual users' mail in Maildir++ under data_dir/mail/DOMAIN/USER/, local
 * users' INBOX in the spool mbox (spool_dir/USER) and their other folders in ~/Maildir, each
 * account with an SQLite index (see {@link org.cartero.store.index.UserIndex}). Several
 * processes may use the same files at once (the server, the CLI, mutt): every change is
 * coordinated through the files' locks and the index's transactions.
 */
public final class EmbeddedMailStore implements MailStore {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedMailStore.class);
    private static final Duration IDLE_CLOSE = Duration.ofSeconds(60);

    /**
     * Where mail lives and how long to wait for a lock. {@code localMaildir} is the directory
     * under a local user's home that holds their folders other than INBOX.
     */
    public record Settings(Path dataDir, Path spoolDir, String localMaildir, String hostname, Duration lockTimeout) {

        /** The settings of a configuration, with {@code [store] lock_timeout} (default 30s). */
        public static Settings from(Config config, ConfigFile file) throws ConfigException {
            ConfigSection section = file.root().section("store");
            Duration lockTimeout = section.duration("lock_timeout", Duration.ofSeconds(30));
            return new Settings(config.dataDir(), config.local().spoolDir(), config.local().maildir(), config.hostname(),
                    lockTimeout);
        }
    }

    private static final class Holder {
        final ReentrantLock lock = new ReentrantLock();
        AccountContext context;
        int users;
        long idleSince;
    }

    private final Settings settings;
    private final FolderWatcher watcher;
    private final ConcurrentHashMap<String, Holder> accounts = new ConcurrentHashMap<>();
    private final Thread sweeper;
    private volatile boolean closed;

    public EmbeddedMailStore(Settings settings) throws IOException {
        this.settings = settings;
        this.watcher = new FolderWatcher();
        this.sweeper = Thread.ofVirtual().name("cartero-store-sweeper").start(this::sweep);
    }

    Settings settings() {
        return settings;
    }

    FolderWatcher watcher() {
        return watcher;
    }

    @Override
    public AccountStore open(Account account) throws IOException {
        if (closed) throw new IOException("the mail store is closed");
        String key = key(account);
        while (true) {
            Holder h = accounts.computeIfAbsent(key, k -> new Holder());
            h.lock.lock();
            try {
                if (accounts.get(key) != h) continue; // removed by the sweeper meanwhile
                if (h.context != null && h.context.index.isDamaged() && h.users == 0) {
                    h.context.close();
                    h.context = null;
                    h.context = AccountContext.open(this, account, true);
                }
                if (h.context == null) h.context = AccountContext.open(this, account, false);
                h.users++;
                AccountContext context = h.context;
                return new EmbeddedAccountStore(context, () -> release(h));
            } finally {
                h.lock.unlock();
            }
        }
    }

    private void release(Holder h) {
        h.lock.lock();
        try {
            if (--h.users == 0) h.idleSince = System.nanoTime();
        } finally {
            h.lock.unlock();
        }
    }

    /** Closes accounts nobody used for a minute (keeping them open saves reopening the index per delivery). */
    private void sweep() {
        while (!closed) {
            try {
                Thread.sleep(IDLE_CLOSE.toMillis() / 2);
            } catch (InterruptedException e) {
                return;
            }
            closeIdleConnections(IDLE_CLOSE.dividedBy(2)); // sessions that only wait need no connection
            for (Map.Entry<String, Holder> e : accounts.entrySet()) {
                Holder h = e.getValue();
                if (!h.lock.tryLock()) continue;
                try {
                    if (h.users == 0 && h.context != null && System.nanoTime() - h.idleSince > IDLE_CLOSE.toNanos()) {
                        accounts.remove(e.getKey(), h);
                        h.context.close();
                        h.context = null;
                    }
                } finally {
                    h.lock.unlock();
                }
            }
        }
    }

    /**
     * Closes the index connections of accounts whose index nobody used for {@code idleFor}
     * (their sessions may stay open and waiting: the connections reopen on next use). The
     * store does this by itself every 30 seconds; an administrator may call it under memory
     * pressure.
     */
    public void closeIdleConnections(Duration idleFor) {
        for (Holder h : accounts.values()) {
            if (!h.lock.tryLock()) continue;
            try {
                if (h.context != null) h.context.index.closeIdle(idleFor);
            } finally {
                h.lock.unlock();
            }
        }
    }

    /** The key of an account: its kind and canonical name. */
    static String key(Account account) {
        return switch (account) {
            case LocalAccount l -> "local:" + l.name();
            case VirtualAccount v -> "virtual:" + v.address().canonical();
        };
    }

    /** data_dir/mail/DOMAIN/USER for a virtual user, each level made safe as a file name. */
    Path virtualRoot(VirtualAccount account) {
        var address = account.address().canonical();
        return settings.dataDir().resolve("mail").resolve(safeName(address.domain())).resolve(safeName(address.localPart()));
    }

    /** data_dir/index/local/USER: a local user's index, journals and staging files, owned by the server. */
    Path localStateDir(LocalAccount account) {
        return settings.dataDir().resolve("index").resolve("local").resolve(safeName(account.name()));
    }

    /**
     * A string as one file name: letters, digits and "-_+=." stay, anything else (including
     * "/" and non-ASCII) becomes %XX of its UTF-8 bytes, and a leading "." is escaped, so no
     * name can be ".", ".." or hidden.
     */
    static String safeName(String s) {
        StringBuilder sb = new StringBuilder();
        byte[] bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '-' || b == '_' || b == '+' || b == '='
                    || (b == '.' && i > 0);
            if (plain) sb.append((char) b);
            else sb.append('%').append(String.format("%02X", b));
        }
        return sb.isEmpty() ? "%00" : sb.toString();
    }

    @Override
    public void close() {
        closed = true;
        sweeper.interrupt();
        watcher.close();
        for (Holder h : accounts.values()) {
            h.lock.lock();
            try {
                if (h.context != null) {
                    if (h.users > 0) log.debug("closing the store with {} sessions open", h.users);
                    h.context.close();
                    h.context = null;
                }
            } finally {
                h.lock.unlock();
            }
        }
        accounts.clear();
    }
}
