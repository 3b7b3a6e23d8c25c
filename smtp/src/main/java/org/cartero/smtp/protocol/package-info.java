/**
 * The SMTP wire grammar, apart from any session logic, so it is tested on bytes alone.
 *
 * <ul>
 *   <li>Server side: {@link org.cartero.smtp.protocol.CommandParser} reads a command line into a
 *       {@link org.cartero.smtp.protocol.Command} or refuses it with an
 *       {@link org.cartero.smtp.protocol.SmtpException} that carries the exact
 *       {@link org.cartero.smtp.protocol.Reply}; {@link org.cartero.smtp.protocol.DataReader} and
 *       {@link org.cartero.smtp.protocol.ChunkReader} stream message content from DATA and BDAT;
 *       {@link org.cartero.smtp.protocol.Capabilities} writes the EHLO reply.
 *   <li>Client side: {@link org.cartero.smtp.protocol.Command#line()} writes commands,
 *       {@link org.cartero.smtp.protocol.ReplyReader} reads replies,
 *       {@link org.cartero.smtp.protocol.Capabilities#parse} reads the EHLO reply and
 *       {@link org.cartero.smtp.protocol.DotStuffingOutputStream} writes DATA content.
 * </ul>
 *
 * Nothing here holds a whole message: content is streamed, and every limit (path length,
 * parameter length, message size, reply length) is checked while reading.
 */
package org.cartero.smtp.protocol;
