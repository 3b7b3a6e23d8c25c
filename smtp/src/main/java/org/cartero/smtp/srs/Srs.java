package org.cartero.smtp.srs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.cartero.core.mail.MailAddress;

/**
 * The Sender Rewriting Scheme in the format of Shevek's libsrs2 (and so of Postfix's postsrsd),
 * so addresses made by either are understood by the other given the same secret:
 *
 * <pre>
 * SRS0=HHHH=TT=orig-domain=orig-local@srs-domain          forwarding a plain address
 * SRS1=HHHH=first-srs-domain==HHHH=TT=orig-domain=orig-local@srs-domain   forwarding an SRS0 address again
 * </pre>
 *
 * HHHH is the first four characters of the base64 HMAC-SHA1 over the other fields in lower case
 * (so the address survives servers that change its case), TT the day of creation in two base32
 * characters. A bounce to an SRS0 address is accepted for {@link #MAX_AGE_DAYS} days, and only
 * with a valid hash: the server cannot be used to send mail anywhere by forging one.
 * Thread-safe.
 */
public final class Srs {
    /** libsrs2's default: a forwarded message's bounce comes back within three weeks. */
    public static final int MAX_AGE_DAYS = 21;
    private static final int HASH_LENGTH = 4;
    private static final String TIME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int TIME_SLOTS = 1024; // two base32 characters
    private static final String SEPARATORS = "=-+";

    private final byte[] secret;
    private final String domain;
    private final InstantSource clock;

    /**
     * @param secret the HMAC key; kept in data_dir, so that addresses made before a restart stay valid
     * @param domain the domain of the rewritten addresses: mail to it must reach this server
     */
    public Srs(byte[] secret, String domain, InstantSource clock) {
        if (secret.length == 0) throw new IllegalArgumentException("empty SRS secret");
        this.secret = secret.clone();
        this.domain = domain.toLowerCase(Locale.ROOT);
        this.clock = clock;
    }

    /** A new random secret, as printable text (so it can also be shared with postsrsd). */
    public static byte[] newSecret() {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encode(random);
    }

    public String domain() {
        return domain;
    }

    /** The sender as this server sends it on when forwarding: rewritten into our SRS domain. */
    public MailAddress forward(MailAddress sender) {
        if (sender.domain().equals(domain)) return sender; // ours already: bounces come here anyway
        String local = sender.localPart();
        try {
            if (hasTag(local, "SRS1")) {
                // SRS1=HHHH=host=rest: keep host and rest, sign them anew for our domain.
                String[] parts = local.substring(5).split("=", 3);
                if (parts.length == 3 && !parts[1].isEmpty() && !parts[2].isEmpty()) {
                    return srs1(parts[1], parts[2]);
                }
            } else if (hasTag(local, "SRS0")) {
                // Someone else's SRS0: point at it instead of wrapping it again, so the path stays short.
                return srs1(sender.domain(), local.substring(4));
            }
        } catch (IllegalArgumentException e) {
            return sender;
        }
        String stamp = timestamp(clock.instant());
        String hash = hash(stamp, sender.domain(), local);
        return valid("SRS0=" + hash + "=" + stamp + "=" + sender.domain() + "=" + local).orElse(sender);
    }

    /**
     * Reads the secret from {@code file}, or makes one and keeps it there (mode 0600) on first
     * use, so that addresses made before a restart stay valid.
     */
    public static Srs open(Path file, String domain) throws IOException {
        if (!Files.exists(file)) {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, newSecret());
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        }
        byte[] secret = Files.readAllBytes(file);
        int end = secret.length;
        while (end > 0 && (secret[end - 1] == '\n' || secret[end - 1] == '\r')) end--;
        if (end == 0) throw new IOException(file + " is empty: remove it to have a new SRS secret made");
        return new Srs(Arrays.copyOf(secret, end), domain, InstantSource.system());
    }

    /** True when the local part has the SRS0 or SRS1 form (whatever the domain). */
    public static boolean isSrs(String localPart) {
        return hasTag(localPart, "SRS0") || hasTag(localPart, "SRS1");
    }

    /**
     * The address an SRS address stands for: the original sender for SRS0, the SRS0 address of the
     * first forwarder for SRS1. Empty when it is not an SRS address of ours, its hash is wrong or
     * (SRS0) it is older than {@link #MAX_AGE_DAYS} days.
     */
    public Optional<MailAddress> reverse(MailAddress address) {
        String local = address.localPart();
        try {
            if (hasTag(local, "SRS1")) {
                String[] parts = local.substring(5).split("=", 3);
                if (parts.length < 3 || parts[1].isEmpty() || parts[2].isEmpty()) return Optional.empty();
                if (!hashMatches(parts[0], parts[1], parts[2])) return Optional.empty();
                return Optional.of(new MailAddress("SRS0" + parts[2], parts[1]));
            }
            if (hasTag(local, "SRS0")) {
                String[] parts = local.substring(5).split("=", 4);
                if (parts.length < 4 || parts[2].isEmpty() || parts[3].isEmpty()) return Optional.empty();
                if (!timestampValid(parts[1]) || !hashMatches(parts[0], parts[1], parts[2], parts[3])) return Optional.empty();
                return Optional.of(MailAddress.parse(parts[3] + "@" + parts[2]));
            }
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // what it stands for is no address
        }
        return Optional.empty();
    }

    private MailAddress srs1(String firstHost, String rest) {
        String local = "SRS1=" + hash(firstHost, rest) + "=" + firstHost + "=" + rest;
        return valid(local).orElseThrow(() -> new IllegalArgumentException("cannot rewrite " + rest + "@" + firstHost));
    }

    /** The local part at our domain, if it is a valid address (a quoted original local part makes none). */
    private Optional<MailAddress> valid(String local) {
        try {
            return Optional.of(MailAddress.parse(local + "@" + domain));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean hasTag(String local, String tag) {
        return local.length() > 5 && local.regionMatches(true, 0, tag, 0, 4) && SEPARATORS.indexOf(local.charAt(4)) >= 0;
    }

    /** Days since the epoch in two base32 characters (libsrs2's timestamp). */
    static String timestamp(Instant now) {
        long day = now.getEpochSecond() / 86400;
        return "" + TIME_CHARS.charAt((int) (day >> 5 & 31)) + TIME_CHARS.charAt((int) (day & 31));
    }

    private boolean timestampValid(String stamp) {
        if (stamp.length() != 2) return false;
        int then = 0;
        for (int i = 0; i < 2; i++) {
            int value = TIME_CHARS.indexOf(Character.toUpperCase(stamp.charAt(i)));
            if (value < 0) return false;
            then = then << 5 | value;
        }
        long today = clock.instant().getEpochSecond() / 86400 % TIME_SLOTS;
        while (today < then) today += TIME_SLOTS;
        return today <= then + MAX_AGE_DAYS;
    }

    private boolean hashMatches(String given, String... fields) {
        // Compared without case, as libsrs2 does: some servers lower-case whole addresses.
        return given.length() >= HASH_LENGTH && given.substring(0, HASH_LENGTH).equalsIgnoreCase(hash(fields));
    }

    /** HMAC-SHA1 over the fields in lower case; the first four characters of its base64. */
    private String hash(String... fields) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            for (String field : fields) mac.update(field.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(mac.doFinal()).substring(0, HASH_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e);
        }
    }
}
