/**
 * The IMAP server over the mail store: decode, process, encode.
 *
 * <p>{@link org.cartero.imap.server.ImapServer} is the protocol handler the listener runs for
 * IMAP (143, STARTTLS) and IMAPS (993). Each connection is a {@code Session}: it reads a
 * command with the grammar's {@link org.cartero.imap.protocol.CommandReader}, hands it to the
 * handler of its command, and writes the responses with the
 * {@link org.cartero.imap.protocol.ResponseWriter}. There is one handler class per command or
 * small group of commands ({@code SelectCommand}, {@code FetchCommand}, {@code StoreCommand},
 * {@code MailboxCommands}...); a handler returns the tagged OK or throws where it finds a
 * problem, and the session turns that into NO or BAD in one place.
 *
 * <p>{@code SelectedMailbox} is the selected mailbox as one session sees it: its sequence
 * numbers, and the unsolicited responses (EXISTS, EXPUNGE or VANISHED, FETCH FLAGS) sent at the
 * moments RFC 9051 section 7 allows. IDLE and NOTIFY push changes between commands from a
 * thread of the session, woken by the store's change watches.
 *
 * <p>SEARCH, SORT and THREAD find their messages through a
 * {@link org.cartero.imap.server.SearchEngine} and answer in whatever form the command asks
 * (SEARCH, ESEARCH, SORT, THREAD, CONTEXT updates); {@link org.cartero.imap.server.IndexedSearch}
 * hands them to the engine of {@code org.cartero.imap.search}.
 */
package org.cartero.imap.server;
