package org.cartero.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {

    /** The password behind every vector below. */
    private static final String PASSWORD = "Correct horse 42!";

    @Test
    void newHashesAreArgon2idInPhcFormatAndVerify() {
        String hash = Passwords.hash(PASSWORD);

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=\\d+,t=\\d+,p=\\d+\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(Passwords.verify(PASSWORD, hash)).isTrue();
        assertThat(Passwords.verify("correct horse 42!", hash)).isFalse();
        assertThat(Passwords.verify("", hash)).isFalse();
    }

    @Test
    void everyHashHasItsOwnSalt() {
        assertThat(Passwords.hash(PASSWORD)).isNotEqualTo(Passwords.hash(PASSWORD));
    }

    @Test
    void unicodePasswordsAreHashedAsUtf8() {
        String hash = Passwords.hash("contraseña año ☃");
        assertThat(Passwords.verify("contraseña año ☃", hash)).isTrue();
        assertThat(Passwords.verify("contrasena ano ☃", hash)).isFalse();
    }

    /** Made with {@code doveadm pw -s SCHEME}, {@code openssl passwd} and libxcrypt's crypt(3). */
    @ParameterizedTest
    @ValueSource(strings = {
            "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$BVk7O4VkLmxFFcsUTHpIwA$jdtL9I0a2Mjd+Y6wjEt23PpaTOYYt47aBZdHNSNNVWM",
            "{ARGON2I}$argon2i$v=19$m=32768,t=4,p=1$xFrdFA8stzNBjwOOtgkXOg$jtHPL+q4ri6yK8kvcmGnG0C+1nSkGP0z/CgjMm5D3Og",
            "{SHA512-CRYPT}$6$s7mlqGk/Nou.49mg$yWJmB0WOlx5LmQWuXy3rbJ.r3s1fEQMkNCoiJHc4cANgYgZoOv.DbeIm1XN7VX1fjnS4ot.79tsUCL5AhAD5B.",
            "{SHA512-CRYPT}$6$rounds=10000$3nqtGcd0NU5eunLl$DoKm.QJTBIOa3RGco2uVuvT7DFOmO36rbbrag3KQ5K0qou5PSA.EVXg.MVpICqWhUnW.Dbaz57ICcS2w9ORy9/",
            "{SHA256-CRYPT}$5$65toYqp7tdJSIC59$ihdF2G/lRG1cn82gIoIGzHDIAnr/g6qEouKxvt7but0",
            "{BLF-CRYPT}$2y$05$bo/gQGNU9hhddbyTuKstPOfyZbMScH1vkvrVnPArJd0IxOQJ8ZKx.",
            "{MD5-CRYPT}$1$YSQrMNLl$.vJIZeJWwv4ERe2vUONpw.",
            "{CRYPT}$2y$05$df53qhOXgTDhD1k31lhXZuP3c36xOOT7pg7U.nhcagdg13xcaeLqu",
            "{CRYPT}abwirc53tCB5w",
            "$6$saltsalt$MjYsiqUXbOFgauR.2a6pEKjIzYemNAKIRFzPYlVdcO2/Rsw8pv0oOCxAQdnExLesL/LjfWdac.IWz0LjwEuNS/",
            "$5$abc$eR1A9jdX7jeErz2dkjVTnVd6oJHl1.Ut1AiPVsubO24",
            "$1$abcdefgh$B0IhkpQoYAzxqusDjMRQd0",
            "$2b$06$abcdefghijklmnopqrstuu5VPAH.Im0fwR.a1ngoon7vPvK4arfnS",
    })
    void importedHashesVerifyTheRightPasswordOnly(String stored) {
        assertThat(Passwords.isSupported(stored)).isTrue();
        assertThat(Passwords.verify(PASSWORD, stored)).isTrue();
        assertThat(Passwords.verify("Korrect horse 42!", stored)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "secret",
            "{PLAIN}Correct horse 42!",
            "{SHA512-CRYPT}$1$YSQrMNLl$.vJIZeJWwv4ERe2vUONpw.",
            "{BLF-CRYPT}$6$saltsalt$MjYsiqUXbOFgauR.2a6pEKjIzYemNAKIRFzPYlVdcO2/Rsw8pv0oOCxAQdnExLesL/LjfWdac.IWz0LjwEuNS/",
            "$y$j9T$abcdefghijklmnop$fJN99PMXowAlSmRx9VWo97t8vf8Y08J1QJzfwFP1jx.",
            "$argon2id$v=19$m=99999999,t=3,p=1$BVk7O4VkLmxFFcsUTHpIwA$jdtL9I0a2Mjd+Y6wjEt23PpaTOYYt47aBZdHNSNNVWM",
    })
    void unsupportedOrMismatchedHashesNeverMatch(String stored) {
        assertThat(Passwords.verify(PASSWORD, stored)).isFalse();
    }

    @Test
    void mislabelledAndUnknownSchemesAreNotSupported() {
        assertThat(Passwords.isSupported("{PLAIN}secret")).isFalse();
        assertThat(Passwords.isSupported("{SHA512-CRYPT}$1$YSQrMNLl$.vJIZeJWwv4ERe2vUONpw.")).isFalse();
        assertThat(Passwords.isSupported("$y$j9T$abcdefghijklmnop$fJN99PMXowAlSmRx9VWo97t8vf8Y08J1QJzfwFP1jx.")).isFalse();
    }

    @Test
    void bcryptRefusesPasswordsBeyondItsLimitInsteadOfTruncating() {
        String stored = "$2b$06$abcdefghijklmnopqrstuu5VPAH.Im0fwR.a1ngoon7vPvK4arfnS";
        assertThat(Passwords.verify(PASSWORD + "x".repeat(100), stored)).isFalse();
    }
}
