package org.cartero.store.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cartero.store.Flags;
import org.cartero.store.files.Ownership;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirFileNameTest {

    @Test
    void parsesUniqueFieldsAndInfo() {
        MaildirFileName n = MaildirFileName.parse("1700000000.M1P2Q3.host,S=120,W=124,U=42:2,RS");
        assertThat(n.unique()).isEqualTo("1700000000.M1P2Q3.host");
        assertThat(n.uid()).isEqualTo(42);
        assertThat(n.storedSize()).isEqualTo(120);
        assertThat(n.info()).isEqualTo("RS");
        assertThat(n.withUid(7).fileName()).isEqualTo("1700000000.M1P2Q3.host,S=120,W=124,U=7:2,RS");
        assertThat(MaildirFileName.parse("plain").info()).isNull();
        assertThat(MaildirFileName.parse("plain").uid()).isZero();
        assertThat(MaildirFileName.parse("x:1,experimental").info()).isNull();
        assertThat(MaildirFileName.parse("x:2,").info()).isEmpty();
    }

    @Test
    void newUniqueNamesDifferAndEscapeTheHost() {
        String a = MaildirFileName.newUnique("mail/host:1");
        String b = MaildirFileName.newUnique("mail/host:1");
        assertThat(a).isNotEqualTo(b).doesNotContain("/").doesNotContain(":").endsWith(".mail\\057host\\0721");
    }

    @Test
    void flagLettersFollowTheMaildirSpecAndDovecotKeywords(@TempDir Path dir) throws Exception {
        KeywordLetters k = KeywordLetters.load(dir);
        String info = k.info(Flags.of(Flags.SEEN | Flags.ANSWERED | Flags.DELETED | Flags.DRAFT | Flags.FLAGGED, "$Forwarded", "Work"),
                null, dir, Ownership.PROCESS);
        assertThat(info).isEqualTo("DFRSTab");
        assertThat(Files.readAllLines(dir.resolve("dovecot-keywords"))).containsExactly("0 $Forwarded", "1 Work");
        KeywordLetters reloaded = KeywordLetters.load(dir);
        assertThat(reloaded.flags("RSb").keywords()).containsExactly("Work");
        assertThat(reloaded.flags("RSb").system()).isEqualTo(Flags.ANSWERED | Flags.SEEN);
        // letters another program set and Cartero does not manage survive a flag change
        assertThat(reloaded.info(Flags.of(Flags.SEEN), "PSz", dir, Ownership.PROCESS)).isEqualTo("PSz");
        assertThat(reloaded.flags(null)).isEqualTo(Flags.NONE);
        assertThat(List.of(reloaded.flags("a").keywords())).hasSize(1);
    }

    @Test
    void uidValidityFileRoundTrips(@TempDir Path dir) throws Exception {
        assertThat(UidValidityFile.read(dir)).isNull();
        new UidValidityFile(1234, 56).write(dir, Ownership.PROCESS);
        assertThat(UidValidityFile.read(dir)).isEqualTo(new UidValidityFile(1234, 56));
        Files.writeString(dir.resolve(UidValidityFile.FILE), "garbage");
        assertThat(UidValidityFile.read(dir)).isNull();
    }
}
