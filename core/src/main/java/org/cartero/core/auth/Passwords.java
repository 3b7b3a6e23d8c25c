package org.cartero.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Crypt;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes of virtual users. New hashes are argon2id (RFC 9106) in the PHC string
 * format, {@code $argon2id$v=19$m=...,t=...,p=...$salt$hash}. Verification also accepts the
 * hashes an administrator imports from Dovecot, with or without Dovecot's {@code {SCHEME}}
 * prefix: SHA512-CRYPT, SHA256-CRYPT, MD5-CRYPT ({@code $6$}, {@code $5$}, {@code $1$}),
 * BLF-CRYPT (bcrypt {@code $2y$}, {@code $2b$}, {@code $2a$}), ARGON2ID and ARGON2I, and CRYPT
 * (any of those, or traditional DES crypt).
 */
public final class Passwords {

    /*
     * RFC 9106 section 4 recommends 2 GiB for a "first" choice and 64 MiB as the
     * memory-constrained one; both take far too long in Bouncy Castle's pure-Java code on a
     * small server. 19 MiB with two passes (the OWASP password storage minimum) costs tens of
     * milliseconds, which an SMTP or IMAP login can afford on every attempt.
     */
    private static final int MEMORY_KIB = 19 * 1024;
    private static final int ITERATIONS = 2;
    private static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    /** Limits for parameters read from stored hashes, so a bad import cannot exhaust the heap. */
    private static final int MAX_MEMORY_KIB = 1024 * 1024;
    private static final int MAX_ITERATIONS = 64;
    private static final int MAX_PARALLELISM = 64;

    private static final Pattern DOVECOT_PREFIX = Pattern.compile("\\{([A-Za-z0-9._-]+)}(.*)", Pattern.DOTALL);
    private static final Pattern ARGON2 = Pattern.compile(
            "\\$(argon2id|argon2i)(?:\\$v=(\\d+))?\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final Pattern SHA_CRYPT = Pattern.compile("\\$[56]\\$(rounds=\\d+\\$)?[./0-9A-Za-z]{1,16}\\$[./0-9A-Za-z]+");
    private static final Pattern MD5_CRYPT = Pattern.compile("\\$1\\$[./0-9A-Za-z]{1,8}\\$[./0-9A-Za-z]{22}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./0-9A-Za-z]{53}");
    private static final Pattern DES_CRYPT = Pattern.compile("[./0-9A-Za-z]{13}");

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64_ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODER = Base64.getDecoder();

    private Passwords() {}

    /** A new argon2id hash of {@code password} with a random salt. */
    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2(Argon2Parameters.ARGON2_id, Argon2Parameters.ARGON2_VERSION_13,
                MEMORY_KIB, ITERATIONS, PARALLELISM, salt, password, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM
                + "$" + B64_ENCODER.encodeToString(salt) + "$" + B64_ENCODER.encodeToString(hash);
    }

    /** True when {@code stored} is a hash in a scheme {@link #verify} understands. */
    public static boolean isSupported(String stored) {
        return scheme(stored) != Scheme.UNSUPPORTED;
    }

    /**
     * Whether {@code password} matches {@code stored}. The comparison takes the same time
     * wherever the first difference is. A hash in a scheme that is not supported never matches.
     */
    public static boolean verify(String password, String stored) {
        String hash = withoutPrefix(stored);
        byte[] key = password.getBytes(StandardCharsets.UTF_8);
        return switch (scheme(stored)) {
            case ARGON2 -> verifyArgon2(password, hash);
            case BCRYPT -> verifyBcrypt(password, hash);
            case CRYPT -> constantTimeEquals(Crypt.crypt(key, hash), hash);
            case UNSUPPORTED -> false;
        };
    }

    private enum Scheme { ARGON2, BCRYPT, CRYPT, UNSUPPORTED }

    private static Scheme scheme(String stored) {
        if (stored == null) return Scheme.UNSUPPORTED;
        String prefix = "";
        Matcher m = DOVECOT_PREFIX.matcher(stored);
        if (m.matches()) prefix = m.group(1).toUpperCase(Locale.ROOT);
        String hash = withoutPrefix(stored);
        Scheme format = format(hash);
        boolean prefixFits = switch (prefix) {
            case "" , "CRYPT" -> true;
            case "ARGON2ID", "ARGON2I" -> format == Scheme.ARGON2;
            case "BLF-CRYPT" -> format == Scheme.BCRYPT;
            case "SHA512-CRYPT" -> hash.startsWith("$6$");
            case "SHA256-CRYPT" -> hash.startsWith("$5$");
            case "MD5-CRYPT" -> hash.startsWith("$1$");
            default -> false;
        };
        return prefixFits ? format : Scheme.UNSUPPORTED;
    }

    private static Scheme format(String hash) {
        if (ARGON2.matcher(hash).matches()) return Scheme.ARGON2;
        if (BCRYPT.matcher(hash).matches()) return Scheme.BCRYPT;
        if (SHA_CRYPT.matcher(hash).matches() || MD5_CRYPT.matcher(hash).matches()
                || DES_CRYPT.matcher(hash).matches()) {
            return Scheme.CRYPT;
        }
        return Scheme.UNSUPPORTED;
    }

    private static String withoutPrefix(String stored) {
        Matcher m = DOVECOT_PREFIX.matcher(stored);
        return m.matches() ? m.group(2) : stored;
    }

    private static boolean verifyArgon2(String password, String hash) {
        Matcher m = ARGON2.matcher(hash);
        if (!m.matches()) return false;
        int type = m.group(1).equals("argon2id") ? Argon2Parameters.ARGON2_id : Argon2Parameters.ARGON2_i;
        // A PHC string without v= is version 1.0 (0x10), RFC 9106 section 3.1.
        int version = m.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(m.group(2));
        if (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) return false;
        long memory = Long.parseLong(m.group(3));
        long iterations = Long.parseLong(m.group(4));
        long parallelism = Long.parseLong(m.group(5));
        if (memory < 8 || memory > MAX_MEMORY_KIB || iterations < 1 || iterations > MAX_ITERATIONS
                || parallelism < 1 || parallelism > MAX_PARALLELISM || memory < 8 * parallelism) {
            return false;
        }
        byte[] salt;
        byte[] expected;
        try {
            salt = B64_DECODER.decode(m.group(6));
            expected = B64_DECODER.decode(m.group(7));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (expected.length < 4) return false;
        byte[] actual = argon2(type, version, (int) memory, (int) iterations, (int) parallelism, salt, password,
                expected.length);
        return MessageDigest.isEqual(actual, expected);
    }

    private static byte[] argon2(int type, int version, int memoryKib, int iterations, int parallelism,
                                 byte[] salt, String password, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(type)
                .withVersion(version)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private static boolean verifyBcrypt(String password, String hash) {
        try {
            return OpenBSDBCrypt.checkPassword(hash, password.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false; // e.g. a password longer than bcrypt's 72 bytes
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
