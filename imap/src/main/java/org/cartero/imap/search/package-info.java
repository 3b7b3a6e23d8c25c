/**
 * What SEARCH, SORT and THREAD find in the selected folder: the evaluation engine the IMAP
 * session calls, apart from the grammar that parses the commands
 * ({@link org.cartero.imap.protocol.SearchKey}) and from the session that writes the responses.
 *
 * <p>{@link org.cartero.imap.search.SearchEngine} is the entry point: one per selected folder,
 * given the session's {@link org.cartero.imap.search.MailboxView} (its UIDs, its saved result,
 * its \Recent messages) with each command; it answers a
 * {@link org.cartero.imap.search.SearchResult} or a list of
 * {@link org.cartero.imap.search.ThreadNode}s.
 *
 * <p>Inside: a search key is compiled into a {@code Condition} that knows what each key costs
 * and tests a message three-valued, so the engine can run it over cheap data first (numbers,
 * the in-memory {@code FolderIndex}, envelopes) and open a message only when its header or text
 * must decide. Messages are read through {@link org.cartero.imap.search.SearchableMessage},
 * implemented over the store by {@code StoredMessage} and {@code MessageText} (header fields
 * decoded, body parts streamed and decoded). Text is compared in the collations of
 * {@code Casemap}; SORT is {@code Sorter}, THREAD is {@code Threader}, with the base subject of
 * RFC 5256 ({@code BaseSubject}), Message-IDs ({@code MessageIds}) and Date fields
 * ({@code MessageDates}) read the way those algorithms need.
 */
package org.cartero.imap.search;
