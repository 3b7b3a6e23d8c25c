package org.cartero.core.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the TLS stack the server's key and certificate chain, and picks up renewed files without
 * a restart: at handshake time, at most once a {@link #CHECK_INTERVAL}, it compares the files'
 * modification time, size and identity with what it loaded, and loads them again when they
 * changed. A new pair that cannot be used (half-written, mismatched while certificate and key are
 * being replaced one after the other) is logged and the old pair kept; it is tried again as soon
 * as either file changes once more.
 *
 * <p>The TLS stack asks for the alias first and for the chain and key by that alias afterwards;
 * each loaded pair gets its own alias, and the previous pair stays reachable, so a handshake that
 * straddles a reload still gets a key and chain that belong together.
 */
final class ReloadingKeyManager extends X509ExtendedKeyManager {
    private static final Logger log = LoggerFactory.getLogger(ReloadingKeyManager.class);
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private record Loaded(String alias, KeyMaterial material) {}

    /** What identifies one version of the two files on disk. */
    private record FileStamps(FileTime certificateModified, long certificateSize, Object certificateIdentity,
                              FileTime keyModified, long keySize, Object keyIdentity) {
        static FileStamps of(Path certificateFile, Path keyFile) throws IOException {
            BasicFileAttributes certificate = Files.readAttributes(certificateFile, BasicFileAttributes.class);
            BasicFileAttributes key = Files.readAttributes(keyFile, BasicFileAttributes.class);
            return new FileStamps(certificate.lastModifiedTime(), certificate.size(), certificate.fileKey(),
                    key.lastModifiedTime(), key.size(), key.fileKey());
        }
    }

    private final Path certificateFile;
    private final Path keyFile;
    private final InstantSource clock;
    private final ReentrantLock reloading = new ReentrantLock();
    private volatile Loaded current;
    private volatile Loaded previous;
    private FileStamps lastSeen;        // guarded by reloading
    private Instant nextCheck;          // guarded by reloading
    private int generation;             // guarded by reloading

    /** Loads the files once; a problem with them is an error here, at start. */
    ReloadingKeyManager(Path certificateFile, Path keyFile, InstantSource clock) throws TlsException {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        this.clock = clock;
        try {
            lastSeen = FileStamps.of(certificateFile, keyFile);
        } catch (IOException e) {
            lastSeen = null; // KeyMaterial.load below names the file that is missing
        }
        current = new Loaded(alias(++generation), KeyMaterial.load(certificateFile, keyFile));
        nextCheck = clock.instant().plus(CHECK_INTERVAL);
        warnIfExpired(current.material().certificate());
    }

    /** The certificate presented to clients at this moment. */
    X509Certificate certificate() {
        return current.material().certificate();
    }

    private void reloadIfChanged() {
        Instant now = clock.instant();
        // Handshakes never wait for one another: whoever holds the lock does the checking.
        if (!reloading.tryLock()) return;
        try {
            if (now.isBefore(nextCheck)) return;
            nextCheck = now.plus(CHECK_INTERVAL);
            FileStamps stamps;
            try {
                stamps = FileStamps.of(certificateFile, keyFile);
            } catch (IOException e) {
                return; // a file is being replaced right now; look again at the next check
            }
            if (stamps.equals(lastSeen)) return;
            lastSeen = stamps;
            KeyMaterial material = KeyMaterial.load(certificateFile, keyFile);
            previous = current;
            current = new Loaded(alias(++generation), material);
            log.info("Reloaded the TLS certificate {} (subject {}, valid until {})", certificateFile,
                    material.certificate().getSubjectX500Principal().getName(), material.certificate().getNotAfter().toInstant());
            warnIfExpired(material.certificate());
        } catch (TlsException e) {
            log.warn("The TLS certificate or key changed on disk but cannot be used; keeping the one loaded before: {}",
                    e.getMessage());
        } finally {
            reloading.unlock();
        }
    }

    private void warnIfExpired(X509Certificate certificate) {
        if (certificate.getNotAfter().toInstant().isBefore(clock.instant())) {
            log.warn("The TLS certificate {} expired on {}; clients will refuse it", certificateFile,
                    certificate.getNotAfter().toInstant());
        }
    }

    private static String alias(int generation) {
        return "cartero-" + generation;
    }

    private Loaded byAlias(String alias) {
        Loaded now = current;
        if (now.alias().equals(alias)) return now;
        Loaded before = previous;
        return before != null && before.alias().equals(alias) ? before : null;
    }

    private String aliasFor(String keyType) {
        reloadIfChanged();
        Loaded now = current;
        return now.material().keyType().equals(keyType) ? now.alias() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Loaded loaded = byAlias(alias);
        return loaded == null ? null : loaded.material().chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Loaded loaded = byAlias(alias);
        return loaded == null ? null : loaded.material().privateKey();
    }

    // A server key manager: there is no client certificate to offer.

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
