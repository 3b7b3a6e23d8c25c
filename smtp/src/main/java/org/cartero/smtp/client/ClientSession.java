package org.cartero.smtp.client;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import javax.net.ssl.SSLSession;
import org.cartero.core.mail.MailAddress;
import org.cartero.core.tls.TlsContext;
import org.cartero.smtp.client.ClientConnection.ContentUnreadableException;
import org.cartero.smtp.client.SmtpClientSettings.Credentials;
import org.cartero.smtp.client.SmtpClientSettings.Timeouts;
import org.cartero.smtp.protocol.Capabilities;
import org.cartero.smtp.protocol.Command;
import org.cartero.smtp.protocol.Extension;
import org.cartero.smtp.protocol.MailParameters;
import org.cartero.smtp.protocol.RcptParameters;
import org.cartero.smtp.protocol.Reply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP dialogue with one server over one connection: the greeting, EHLO (or HELO), STARTTLS
 * when offered, AUTH at a relay, then as many mail transactions as the pending recipients need
 * (at most {@value #MAX_RECIPIENTS} recipients each), pipelined when the server offers PIPELINING,
 * and QUIT. Each recipient's fate goes into the {@link DeliveryLedger} as soon as it is known.
 *
 * <p>Failures that concern the whole server (it refuses to talk, TLS is required and missing,
 * AUTH fails) end the dialogue with a {@link HostFailure}; a broken connection is an
 * IOException. Either way the pending recipients move on to the next server.
 */
final class ClientSession {

    private static final Logger log = LoggerFactory.getLogger(ClientSession.class);

    /** RFC 5321 section 4.5.3.1.8: every server takes 100 recipients in one transaction. */
    static final int MAX_RECIPIENTS = 100;

    /** The server cannot take the mail now: move on to the next one. */
    static final class HostFailure extends Exception {
        private final Problem problem;
        private final boolean tlsHandshake;

        HostFailure(Problem problem, boolean tlsHandshake) {
            super(problem.text(), null, false, false);
            this.problem = problem;
            this.tlsHandshake = tlsHandshake;
        }

        Problem problem() {
            return problem;
        }

        /** Whether the TLS handshake failed: the same server may be tried again without STARTTLS. */
        boolean tlsHandshake() {
            return tlsHandshake;
        }
    }

    private final ClientConnection connection;
    private final RemoteHost host;
    private final NextHop hop;
    private final String heloName;
    private final TlsContext tls;
    private final Timeouts timeouts;
    private final DeliveryRequest request;
    private final DeliveryLedger ledger;

    ClientSession(ClientConnection connection, NextHop hop, String heloName, TlsContext tls, Timeouts timeouts,
                  DeliveryRequest request, DeliveryLedger ledger) {
        this.connection = connection;
        this.host = connection.peer();
        this.hop = hop;
        this.heloName = heloName;
        this.tls = tls;
        this.timeouts = timeouts;
        this.request = request;
        this.ledger = ledger;
    }

    /**
     * Runs the whole dialogue.
     *
     * @param startTls whether to use STARTTLS when the server offers it (false only when the
     *                 handshake failed on the previous try and TLS is not required)
     */
    void run(boolean startTls) throws IOException, HostFailure, ContentUnreadableException {
        connection.phase("receiving the initial greeting");
        Reply greeting = connection.read(timeouts.greeting());
        // RFC 5321 section 3.1: 554 instead of 220 means "no service here". Like Postfix's default
        // (smtp_skip_5xx_greeting), such a server is skipped rather than taken at its word.
        if (greeting.code() != 220) throw new HostFailure(Problem.refusal(host, greeting, "the initial greeting").temporary(), false);
        Capabilities capabilities = hello();
        if (startTls && capabilities.supports(Extension.STARTTLS)) {
            capabilities = startTls(capabilities);
        }
        if (hop.requireTls() && connection.tlsSession() == null) {
            throw new HostFailure(Problem.at(host, "4.7.4", "TLS is required, but host " + host + " did not offer STARTTLS"), false);
        }
        if (hop.credentials().isPresent()) authenticate(capabilities, hop.credentials().get());
        transactions(capabilities);
        quit();
    }

    /** EHLO, and HELO for a server that does not know EHLO (RFC 5321 section 3.2). */
    private Capabilities hello() throws IOException, HostFailure {
        connection.phase("performing the EHLO handshake");
        Reply reply = connection.command(new Command.Ehlo(heloName), timeouts.command());
        if (reply.code() == 250) return Capabilities.parse(reply);
        if (reply.isPermanentFailure()) {
            connection.phase("performing the HELO handshake");
            reply = connection.command(new Command.Helo(heloName), timeouts.command());
            if (reply.code() == 250) return new Capabilities(reply.lines().getFirst(), Map.of());
        }
        throw new HostFailure(Problem.refusal(host, reply, "EHLO/HELO").temporary(), false);
    }

    /**
     * STARTTLS (RFC 3207), then EHLO again: what the server said before TLS is forgotten (RFC 3207
     * section 4.2). A server that refuses STARTTLS is talked to in plaintext unless TLS is required.
     */
    private Capabilities startTls(Capabilities plaintext) throws IOException, HostFailure {
        connection.phase("sending STARTTLS");
        Reply reply = connection.command(new Command.StartTls(), timeouts.command());
        if (reply.code() != 220) {
            if (hop.requireTls()) throw new HostFailure(Problem.refusal(host, reply, "STARTTLS").temporary(), false);
            log.info("{}: {} refused STARTTLS ({}); continuing without TLS", request.queueId(), host, reply);
            return plaintext;
        }
        connection.phase("performing the TLS handshake");
        SSLSession session;
        try {
            session = connection.startTls(tls);
        } catch (IOException e) {
            throw new HostFailure(Problem.at(host, "4.7.5", "TLS handshake with " + host + " failed: " + e.getMessage()), true);
        }
        log.info("{}: TLS connection to {}: {} with {}", request.queueId(), host, session.getProtocol(), session.getCipherSuite());
        return hello();
    }

    /** AUTH PLAIN or LOGIN at the relay host (RFC 4954), only ever under TLS. */
    private void authenticate(Capabilities capabilities, Credentials credentials) throws IOException, HostFailure {
        Set<String> mechanisms = capabilities.authMechanisms();
        connection.phase("authenticating");
        Reply reply;
        if (mechanisms.contains("PLAIN")) {
            // RFC 4616: authorization identity (empty), NUL, user, NUL, password; sent at once (RFC 4954 section 4)
            String response = base64("\0" + credentials.user() + "\0" + credentials.password());
            reply = connection.command(new Command.Auth("PLAIN", Optional.of(response)), timeouts.command());
            if (reply.code() == 334) reply = sendResponse(response);
        } else if (mechanisms.contains("LOGIN")) {
            reply = connection.command(new Command.Auth("LOGIN", Optional.empty()), timeouts.command());
            if (reply.code() == 334) reply = sendResponse(base64(credentials.user()));
            if (reply.code() == 334) reply = sendResponse(base64(credentials.password()));
        } else {
            throw new HostFailure(Problem.at(host, "4.7.0", "host " + host + " offers no AUTH mechanism Cartero uses (PLAIN, LOGIN): "
                    + (mechanisms.isEmpty() ? "none" : String.join(" ", mechanisms))), false);
        }
        // Like Postfix's smtp_sasl_auth_soft_bounce: wrong credentials are fixed by the administrator, mail waits.
        if (reply.code() != 235) throw new HostFailure(Problem.refusal(host, reply, "AUTH").temporary(), false);
    }

    private Reply sendResponse(String response) throws IOException {
        connection.writeLine(response);
        connection.flush();
        return connection.read(timeouts.command());
    }

    /**
     * The checks that hold for every transaction with this server (SIZE, 8BITMIME, SMTPUTF8), then
     * one transaction per {@value #MAX_RECIPIENTS} recipients.
     */
    private void transactions(Capabilities capabilities) throws IOException, ContentUnreadableException {
        MessageContent content = request.content();
        OptionalLong sizeLimit = capabilities.sizeLimit();
        if (sizeLimit.isPresent() && content.size() > sizeLimit.getAsLong()) {
            // RFC 1870 section 4: a message larger than the server's fixed limit would be refused for good (552): it is not sent.
            ledger.problemForAll(Problem.at(host, "5.3.4", "message size " + content.size() + " exceeds the size limit "
                    + sizeLimit.getAsLong() + " of host " + host));
            return;
        }
        if (content.eightBit() && !capabilities.supports(Extension.EIGHT_BIT_MIME)) {
            // RFC 6152 section 3: 8-bit content goes only to a server that offers 8BITMIME, unless
            // converted to 7 bits; Cartero does not convert, it returns the message.
            ledger.problemForAll(Problem.at(host, "5.6.3", "the message has 8-bit content and host " + host
                    + " does not support 8BITMIME"));
            return;
        }
        Envelope envelope = envelope(capabilities);
        if (envelope == null) return;

        Deque<RemoteRecipient> waiting = new ArrayDeque<>(envelope.recipients());
        boolean inTransaction = false;
        while (!waiting.isEmpty()) {
            if (inTransaction) {
                connection.phase("sending RSET");
                Reply reset = connection.command(new Command.Rset(), timeouts.command());
                if (!reset.isPositive()) {
                    waiting.forEach(r -> ledger.problem(r, Problem.refusal(host, reset, "RSET").temporary()));
                    return;
                }
            }
            List<RemoteRecipient> batch = new ArrayList<>();
            while (batch.size() < MAX_RECIPIENTS && !waiting.isEmpty()) batch.add(waiting.poll());
            Transaction result = transaction(capabilities, envelope, batch);
            // RFC 5321 section 4.5.3.1.10: recipients refused as "too many" go in the next transaction.
            result.tooMany().reversed().forEach(waiting::addFirst);
            inTransaction = result.open();
            if (result.refusedForNow() != null) {
                waiting.forEach(r -> ledger.problem(r, result.refusedForNow()));
                return;
            }
        }
    }

    /**
     * The sender and recipients as they go on the wire. Without SMTPUTF8 at the server, an
     * address whose local part is ASCII goes with its domain in ASCII (IDNA); one whose local part
     * is not cannot be delivered there (RFC 6531 section 3.2, status 5.6.7), and neither can a
     * message whose sender is such, or whose header holds UTF-8.
     *
     * @return null when nothing can be sent to this server
     */
    private Envelope envelope(Capabilities capabilities) throws ContentUnreadableException {
        boolean needsUtf8 = request.smtpUtf8() || request.sender().map(MailAddress::needsUtf8).orElse(false)
                || ledger.pending().stream().anyMatch(r -> r.address().needsUtf8());
        if (!needsUtf8 || capabilities.supports(Extension.SMTPUTF8)) {
            return new Envelope(request.sender(), ledger.pending(), needsUtf8);
        }
        Optional<MailAddress> sender = request.sender().map(ClientSession::asciiForm);
        if (request.sender().isPresent() && sender.get() == null) {
            ledger.problemForAll(noUtf8(request.sender().get() + " is an internationalised sender address"));
            return null;
        }
        if (request.smtpUtf8() && headerHasUtf8(request.content())) {
            ledger.problemForAll(noUtf8("the message header holds UTF-8"));
            return null;
        }
        List<RemoteRecipient> recipients = new ArrayList<>();
        for (RemoteRecipient recipient : ledger.pending()) {
            if (asciiForm(recipient.address()) == null) {
                ledger.problem(recipient, noUtf8(recipient.address() + " is an internationalised address"));
            } else {
                recipients.add(recipient);
            }
        }
        return recipients.isEmpty() ? null : new Envelope(sender, recipients, false);
    }

    private Problem noUtf8(String why) {
        return Problem.at(host, "5.6.7", why + " and host " + host + " does not support SMTPUTF8");
    }

    /**
     * The sender and recipients of the transactions with this server.
     *
     * @param smtpUtf8 whether MAIL carries SMTPUTF8 and addresses go as they are; otherwise
     *                 every address goes in its ASCII form
     */
    private record Envelope(Optional<MailAddress> sender, List<RemoteRecipient> recipients, boolean smtpUtf8) {
        Optional<MailAddress> wireSender() {
            return smtpUtf8 ? sender : sender.map(ClientSession::asciiForm);
        }

        MailAddress wireAddress(RemoteRecipient recipient) {
            return smtpUtf8 ? recipient.address() : asciiForm(recipient.address());
        }
    }

    /**
     * What one transaction left behind.
     *
     * @param open          a transaction is still open at the server (it needs RSET before the next)
     * @param refusedForNow why the server refused the transaction for now (4xx to MAIL, DATA or the
     *                      end of the data), or null: the remaining recipients move on to the next server
     * @param tooMany       recipients refused with 452 "too many recipients", for the next transaction
     */
    private record Transaction(boolean open, Problem refusedForNow, List<RemoteRecipient> tooMany) {}

    /** MAIL, RCPT for each recipient of the batch, DATA: in one group with PIPELINING (RFC 2920). */
    private Transaction transaction(Capabilities capabilities, Envelope envelope, List<RemoteRecipient> batch)
            throws IOException, ContentUnreadableException {
        boolean dsn = capabilities.supports(Extension.DSN);
        MessageContent content = request.content();
        MailParameters parameters = new MailParameters(
                capabilities.supports(Extension.SIZE) ? OptionalLong.of(content.size()) : OptionalLong.empty(),
                content.eightBit() ? Optional.of(MailParameters.Body.EIGHT_BIT_MIME) : Optional.empty(),
                envelope.smtpUtf8(),
                dsn ? request.ret() : Optional.empty(),
                dsn ? request.envelopeId() : Optional.empty(),
                Optional.empty());
        Command mail = new Command.Mail(envelope.wireSender(), parameters);
        List<Command> rcpts = batch.stream()
                .<Command>map(r -> new Command.Rcpt(envelope.wireAddress(r), dsn ? r.dsn() : RcptParameters.NONE))
                .toList();
        boolean pipelining = capabilities.supports(Extension.PIPELINING);

        Reply mailReply;
        List<Reply> rcptReplies = new ArrayList<>();
        Reply dataReply = null;
        if (pipelining) {
            connection.phase("sending MAIL FROM, RCPT TO and DATA (pipelined)");
            connection.write(mail);
            for (Command rcpt : rcpts) connection.write(rcpt);
            connection.write(new Command.Data());
            connection.flush();
            // RFC 2920 section 3.1: every reply of the group is read and checked, in order.
            connection.phase("reading the reply to MAIL FROM");
            mailReply = connection.read(timeouts.command());
            connection.phase("reading the replies to RCPT TO");
            for (int i = 0; i < rcpts.size(); i++) rcptReplies.add(connection.read(timeouts.command()));
            connection.phase("reading the reply to DATA");
            dataReply = connection.read(timeouts.dataInit());
        } else {
            connection.phase("sending MAIL FROM");
            mailReply = connection.command(mail, timeouts.command());
            if (mailReply.isPositive()) {
                connection.phase("sending RCPT TO");
                for (Command rcpt : rcpts) rcptReplies.add(connection.command(rcpt, timeouts.command()));
            }
        }

        if (!mailReply.isPositive()) {
            abandonData(dataReply);
            Problem problem = Problem.refusal(host, mailReply, "MAIL FROM");
            batch.forEach(r -> ledger.problem(r, problem));
            return new Transaction(false, forNow(problem), List.of());
        }

        List<RemoteRecipient> accepted = new ArrayList<>();
        List<RemoteRecipient> tooMany = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            RemoteRecipient recipient = batch.get(i);
            Reply reply = rcptReplies.get(i);
            if (reply.isPositive()) {
                accepted.add(recipient);
            } else if (isTooManyRecipients(reply)) {
                tooMany.add(recipient);
            } else {
                ledger.problem(recipient, Problem.refusal(host, reply, "RCPT TO"));
            }
        }
        if (accepted.isEmpty()) {
            abandonData(dataReply);
            // With no recipient taken, "too many" is just a refusal for now.
            for (int i = 0; i < batch.size(); i++) {
                if (tooMany.contains(batch.get(i))) ledger.problem(batch.get(i), Problem.refusal(host, rcptReplies.get(i), "RCPT TO"));
            }
            return new Transaction(true, null, List.of());
        }

        if (!pipelining) {
            connection.phase("sending DATA");
            dataReply = connection.command(new Command.Data(), timeouts.dataInit());
        }
        if (dataReply.code() != 354) {
            Problem problem = Problem.refusal(host, dataReply, "DATA");
            accepted.forEach(r -> ledger.problem(r, problem));
            return new Transaction(true, forNow(problem), tooMany);
        }

        Reply end = connection.sendContent(content);
        if (end.isPositive()) {
            accepted.forEach(r -> ledger.delivered(r, host, end, dsn));
            return new Transaction(false, null, tooMany);
        }
        Problem problem = Problem.refusal(host, end, "end of DATA");
        accepted.forEach(r -> ledger.problem(r, problem));
        return new Transaction(false, forNow(problem), tooMany);
    }

    /** The problem when it is a temporary one, which sends the rest of the recipients to the next server. */
    private static Problem forNow(Problem problem) {
        return problem.permanent() ? null : problem;
    }

    /**
     * After a pipelined group whose MAIL or every RCPT failed, a server that still answered 354
     * to DATA gets a lone "." (RFC 2920 section 3.1): an empty message without recipients.
     */
    private void abandonData(Reply dataReply) throws IOException {
        if (dataReply == null || dataReply.code() != 354) return;
        connection.phase("ending the data of a transaction without recipients");
        connection.writeLine(".");
        connection.flush();
        connection.read(timeouts.dataDone());
    }

    /** RFC 5321 section 4.5.3.1.10: 452 (4.5.3) refuses a recipient only for being one too many. */
    private static boolean isTooManyRecipients(Reply reply) {
        return reply.code() == 452 && (reply.enhancedCode() == null || reply.enhancedCode().equals("4.5.3"));
    }

    /** QUIT; the mail is settled, so a server that breaks off here changes nothing. */
    private void quit() {
        connection.phase("sending QUIT");
        try {
            connection.command(new Command.Quit(), timeouts.command());
        } catch (IOException e) {
            log.debug("{}: {} did not answer QUIT: {}", request.queueId(), host, e.getMessage());
        }
    }

    /** The address with its domain in ASCII (IDNA), or null when its local part is not ASCII. */
    private static MailAddress asciiForm(MailAddress address) {
        if (!address.needsUtf8()) return address;
        if (!address.localPart().chars().allMatch(c -> c < 0x80)) return null;
        try {
            return new MailAddress(address.localPart(), IDN.toASCII(address.domain(), IDN.ALLOW_UNASSIGNED));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the message header (up to the first empty line) holds an octet above 127. */
    private static boolean headerHasUtf8(MessageContent content) throws ContentUnreadableException {
        try (InputStream in = new BufferedInputStream(content.source().open())) {
            int previous = '\n';
            for (int c = in.read(); c >= 0; c = in.read()) {
                if (c >= 0x80) return true;
                if (c == '\r') continue;
                if (c == '\n' && previous == '\n') return false;
                previous = c;
            }
            return false;
        } catch (IOException e) {
            throw new ContentUnreadableException(e);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
