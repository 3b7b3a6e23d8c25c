/**
 * A message's structure, learnt once while it is written: envelope (IMAP ENVELOPE), MIME tree
 * with offsets and sizes (BODYSTRUCTURE, BODY[section]), in both stored (LF) and wire (CRLF)
 * form; the conversions between those forms; and the compact codec the index keeps them in.
 */
package org.cartero.store.mime;
