/**
 * The outbound SMTP client: {@link org.cartero.smtp.client.RemoteDelivery} takes a message for the
 * recipients of one remote domain ({@link org.cartero.smtp.client.DeliveryRequest}), finds where
 * it goes (a route, the relay host or the MX hosts), talks SMTP to those servers (STARTTLS,
 * PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, AUTH at a relay) and says what became of each
 * recipient ({@link org.cartero.smtp.client.RecipientOutcome}).
 *
 * <ul>
 *   <li>{@link org.cartero.smtp.client.ClientConnection}: one connection, the wire, the timeouts.
 *   <li>{@link org.cartero.smtp.client.ClientSession}: the dialogue with one server.
 *   <li>{@link org.cartero.smtp.client.DeliveryLedger}: each recipient's fate across servers.
 *   <li>{@link org.cartero.smtp.client.SmtpClientSettings}: the client's keys of {@code [smtp]}.
 * </ul>
 */
package org.cartero.smtp.client;
