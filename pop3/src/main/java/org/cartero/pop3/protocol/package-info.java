/**
 * The POP3 wire grammar, apart from any session logic, so it is tested on bytes alone:
 * {@link org.cartero.pop3.protocol.CommandParser} reads a command line into a
 * {@link org.cartero.pop3.protocol.Command} or refuses it with a
 * {@link org.cartero.pop3.protocol.Pop3Exception} that carries the exact
 * {@link org.cartero.pop3.protocol.Response}; {@link org.cartero.pop3.protocol.MultilineWriter}
 * writes listings and {@link org.cartero.pop3.protocol.MessageStreamer} message content as
 * multi-line responses; {@link org.cartero.pop3.protocol.Capabilities} is the CAPA listing,
 * {@link org.cartero.pop3.protocol.SaslCodec} the base64 lines of AUTH, and
 * {@link org.cartero.pop3.protocol.UniqueId} the UIDL unique-id.
 *
 * <p>Standards: RFC 1939 (POP3), RFC 2449 (CAPA, response codes), RFC 2595 (STLS), RFC 3206
 * (SYS and AUTH response codes), RFC 5034 (SASL), RFC 6856 (UTF8).
 */
package org.cartero.pop3.protocol;
