/**
 * Maildir and Maildir++ as files: message file names with UID and flags, folder directory names,
 * Dovecot-compatible keyword letters, and the uidvalidity file that makes a rebuild keep UIDs.
 */
package org.cartero.store.maildir;
