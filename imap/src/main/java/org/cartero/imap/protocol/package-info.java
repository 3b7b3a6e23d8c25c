/**
 * The IMAP grammar, apart from the session: what a client sends and what the server answers,
 * as bytes and as typed values (RFC 9051 IMAP4rev2, RFC 3501 IMAP4rev1, and the extensions each
 * class cites).
 *
 * <p>Requests: {@link org.cartero.imap.protocol.CommandReader} reads one command at a time off
 * the connection, with its literals (asking for synchronising ones through a
 * {@link org.cartero.imap.protocol.Continuation}, refusing those over the
 * {@link org.cartero.imap.protocol.ReaderLimits}), and returns a typed
 * {@link org.cartero.imap.protocol.Command} or the response that refuses it. Each command has
 * its parser ({@link org.cartero.imap.protocol.CommandParser} and the classes it names); APPEND's
 * messages are streamed by {@link org.cartero.imap.protocol.AppendReader}.
 *
 * <p>Responses: {@link org.cartero.imap.protocol.ResponseWriter} writes a
 * {@link org.cartero.imap.protocol.Response} (status responses with their
 * {@link org.cartero.imap.protocol.ResponseCode}, and untagged data, FETCH with
 * {@link org.cartero.imap.protocol.Envelope} and {@link org.cartero.imap.protocol.BodyStructure}
 * and streamed bodies) in the form IMAP requires.
 *
 * <p>Nothing here touches a socket or the store: the grammar is tested on bytes.
 */
package org.cartero.imap.protocol;
