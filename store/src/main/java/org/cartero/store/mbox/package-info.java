/**
 * The spool mbox: From_ lines, mboxrd quoting, reading messages and their fingerprints, the
 * locking convention shared with mutt, s-nail and procmail (dotlock and fcntl), and the journal
 * that makes appends and in-place rewrites safe against crashes.
 */
package org.cartero.store.mbox;
