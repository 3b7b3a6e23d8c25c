package org.cartero.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cartero.store.maildir.MaildirLayout;
import org.junit.jupiter.api.Test;

class FolderNameTest {

    @Test
    void inboxIsCaseInsensitiveAndCanonical() throws Exception {
        assertThat(FolderName.normalize("inbox")).isEqualTo("INBOX");
        assertThat(FolderName.normalize("InBox/Work")).isEqualTo("INBOX/Work");
        assertThat(FolderName.normalize("Inboxes")).isEqualTo("Inboxes");
    }

    @Test
    void namesThatCouldEscapeOrConfuseAreRefused() {
        for (String bad : new String[] {"", "/etc", "a/", "a//b", "..", "a/../b", ".", "a/./b", "x\0y", "x\ny",
                "a\u0085b", " lead", "trail ", "\uD800"}) {
            assertThatThrownBy(() -> FolderName.normalize(bad)).as(bad).isInstanceOf(InvalidFolderNameException.class);
        }
        assertThatThrownBy(() -> FolderName.normalize("x".repeat(600))).isInstanceOf(InvalidFolderNameException.class);
    }

    @Test
    void modifiedUtf7RoundTripsAndMatchesRfc3501() {
        assertThat(ModifiedUtf7.encode("~peter/mail/台北/日本語")).isEqualTo("~peter/mail/&U,BTFw-/&ZeVnLIqe-");
        assertThat(ModifiedUtf7.decode("&U,BTFw-")).isEqualTo("台北");
        assertThat(ModifiedUtf7.encode("Tom & Jerry")).isEqualTo("Tom &- Jerry");
        assertThat(ModifiedUtf7.decode("Tom &- Jerry")).isEqualTo("Tom & Jerry");
        assertThat(ModifiedUtf7.decode(ModifiedUtf7.encode("Entwürfe 😀"))).isEqualTo("Entwürfe 😀");
        assertThatThrownBy(() -> ModifiedUtf7.decode("&AGE-")).isInstanceOf(IllegalArgumentException.class); // "a" encoded
        assertThatThrownBy(() -> ModifiedUtf7.decode("&Jjo")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void maildirDirectoryNamesEscapeDotsAndStayOneLevelDeep() throws Exception {
        assertThat(MaildirLayout.directoryName("Work/2026")).isEqualTo(".Work.2026");
        assertThat(MaildirLayout.directoryName("v1.2/a\\b")).isEqualTo(".v1\\2e2.a\\5cb");
        assertThat(MaildirLayout.directoryName("Entwürfe")).isEqualTo(".Entw&APw-rfe");
        for (String name : new String[] {"Work/2026", "v1.2/a\\b", "Entwürfe", "a..b", "INBOX/x"}) {
            String n = FolderName.normalize(name);
            assertThat(MaildirLayout.folderName(MaildirLayout.directoryName(n))).isEqualTo(n);
        }
        assertThat(MaildirLayout.folderName("..")).isNull();
        assertThat(MaildirLayout.folderName(".a..b")).isNull();
        assertThat(MaildirLayout.folderName("cur")).isNull();
        java.nio.file.Path root = java.nio.file.Path.of("/m");
        assertThat(new MaildirLayout(root).folderDir(FolderName.normalize("a/b")).getParent()).isEqualTo(root);
    }
}
