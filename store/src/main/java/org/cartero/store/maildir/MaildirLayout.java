package org.cartero.store.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cartero.store.FolderName;
import org.cartero.store.InvalidFolderNameException;
import org.cartero.store.ModifiedUtf7;

/**
 * Where folders live in a Maildir++ tree: INBOX is the root's cur/new/tmp (for a virtual user),
 * and folder "a/b" is the directory ".a.b" beside them. Each level is written in modified UTF-7,
 * as Courier and Dovecot write it, and a "." or "\" inside a level is escaped "\2e" / "\5c" (the
 * escape of Dovecot's listescape plugin), since "." separates levels on disk. A name that
 * passed {@link FolderName#normalize} always maps to one directory directly under the root.
 */
public final class MaildirLayout {
    public static final String FOLDER_MARKER = "maildirfolder";

    private final Path root;

    public MaildirLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The directory of a (normalized) folder name. */
    public Path folderDir(String name) throws InvalidFolderNameException {
        if (FolderName.isInbox(name)) return root;
        Path dir = root.resolve(directoryName(name));
        if (!root.equals(dir.normalize().getParent())) {
            throw new InvalidFolderNameException(name, "does not map inside the mail directory"); // cannot happen; checked anyway
        }
        return dir;
    }

    public static String directoryName(String name) {
        StringBuilder sb = new StringBuilder();
        for (String level : name.split("/")) {
            sb.append('.');
            String encoded = ModifiedUtf7.encode(level);
            for (int i = 0; i < encoded.length(); i++) {
                char c = encoded.charAt(i);
                if (c == '.') sb.append("\\2e");
                else if (c == '\\') sb.append("\\5c");
                else sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The folder name of a Maildir++ directory name, or null when it is not one. */
    public static String folderName(String directoryName) {
        if (directoryName.length() < 2 || directoryName.charAt(0) != '.' || directoryName.equals("..")) return null;
        List<String> levels = new ArrayList<>();
        for (String level : directoryName.substring(1).split("\\.", -1)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < level.length(); i++) {
                char c = level.charAt(i);
                if (c == '\\' && i + 2 < level.length()) {
                    try {
                        sb.append((char) Integer.parseInt(level.substring(i + 1, i + 3), 16));
                        i += 2;
                        continue;
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
                sb.append(c);
            }
            try {
                levels.add(ModifiedUtf7.decode(sb.toString()));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String name = String.join("/", levels);
        try {
            String normalized = FolderName.normalize(name);
            return directoryName(normalized).equals(directoryName) || FolderName.isInbox(normalized) ? normalized : null;
        } catch (InvalidFolderNameException e) {
            return null;
        }
    }

    /** The folders present on disk (directories with a cur/ subdirectory), INBOX excluded. */
    public List<String> foldersOnDisk() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(root)) return names;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ".*")) {
            for (Path entry : entries) {
                String name = folderName(entry.getFileName().toString());
                if (name != null && !FolderName.isInbox(name) && Files.isDirectory(entry.resolve("cur"))) names.add(name);
            }
        }
        return names;
    }
}
