package org.cartero.core.directory;

import org.cartero.core.mail.MailAddress;

/**
 * Someone who has a mailbox here and may log in: a local (system) user from the passwd file, or
 * a virtual user of a virtual domain. {@link #name()} is the login name and the key the store
 * files the account's mail under.
 */
public sealed interface Account permits LocalAccount, VirtualAccount {

    /** "alice" for a local user, "demo@example.test" for a virtual one. */
    String name();

    /** The address mail to this account is addressed to (at the hostname for local users). */
    MailAddress address();

    /** Storage quota in bytes; 0 means unlimited. */
    long quotaBytes();
}
