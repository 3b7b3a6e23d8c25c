package org.cartero.core.directory;

import java.nio.file.Path;
import org.cartero.core.mail.MailAddress;

/**
 * A user of the machine, from the passwd file: INBOX is the mbox spool file, other folders live
 * under the home directory. Files are created with the user's uid and gid.
 */
public record LocalAccount(String name, int uid, int gid, Path home, MailAddress address, long quotaBytes)
        implements Account {}
