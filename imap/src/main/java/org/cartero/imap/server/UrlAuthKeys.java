package org.cartero.imap.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cartero.core.directory.Account;

/**
 * The URLAUTH access keys (RFC 4467 section 4): one secret per user and mailbox, made when the
 * first URL of the mailbox is authorized, kept in a file per user (mode 0600) under the
 * server's state directory, and replaced by RESETKEY, which voids every URL made with the old
 * one. The INTERNAL mechanism's token is the HMAC-SHA256 of the URL rump under that key.
 */
final class UrlAuthKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Path directory;

    UrlAuthKeys(Path directory) {
        this.directory = directory;
    }

    /** The token that authorizes {@code rump}, a URL of the owner's {@code mailbox}. */
    synchronized String token(Account owner, String mailbox, String rump) throws IOException {
        Map<String, byte[]> keys = load(owner);
        byte[] key = keys.get(mailbox);
        if (key == null) {
            key = new byte[32];
            RANDOM.nextBytes(key);
            keys.put(mailbox, key);
            save(owner, keys);
        }
        return hmac(key, rump);
    }

    /** Whether {@code token} authorizes {@code rump} under the mailbox's current key. */
    synchronized boolean verify(Account owner, String mailbox, String rump, String token) throws IOException {
        byte[] key = load(owner).get(mailbox);
        if (key == null) return false;
        return MessageDigest.isEqual(hmac(key, rump).getBytes(StandardCharsets.US_ASCII),
                token.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }

    /** RESETKEY: forgets the key of one mailbox, or of all the owner's mailboxes when {@code mailbox} is null. */
    synchronized void reset(Account owner, String mailbox) throws IOException {
        Map<String, byte[]> keys = load(owner);
        if (mailbox == null) keys.clear();
        else keys.remove(mailbox);
        save(owner, keys);
    }

    private static String hmac(byte[] key, String rump) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(rump.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /** Lines "base64-key TAB mailbox". */
    private Map<String, byte[]> load(Account owner) throws IOException {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file(owner), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return keys;
        }
        for (String line : lines) {
            int tab = line.indexOf('\t');
            if (tab > 0) keys.put(line.substring(tab + 1), Base64.getDecoder().decode(line.substring(0, tab)));
        }
        return keys;
    }

    private void save(Account owner, Map<String, byte[]> keys) throws IOException {
        Files.createDirectories(directory);
        Path file = file(owner);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        StringBuilder text = new StringBuilder();
        keys.forEach((mailbox, key) -> text.append(Base64.getEncoder().encodeToString(key)).append('\t').append(mailbox).append('\n'));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The owner's file, named by a hash of the account so that no login can make a path. */
    private Path file(Account owner) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((owner.getClass().getSimpleName() + ":" + owner.name()).getBytes(StandardCharsets.UTF_8));
            return directory.resolve(HexFormat.of().formatHex(digest, 0, 16) + ".keys");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
