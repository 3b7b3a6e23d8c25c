package org.cartero.smtp.server;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cartero.core.auth.SaslExchange;
import org.cartero.core.auth.SaslStep;
import org.cartero.core.config.Service;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.net.Connection;
import org.cartero.core.net.LineTooLongException;
import org.cartero.smtp.SmtpSettings;
import org.cartero.smtp.message.HeaderCompletion;
import org.cartero.smtp.message.HeaderFields;
import org.cartero.smtp.message.ReceivedField;
import org.cartero.smtp.protocol.Capabilities;
import org.cartero.smtp.protocol.ChunkReader;
import org.cartero.smtp.protocol.Command;
import org.cartero.smtp.protocol.CommandParser;
import org.cartero.smtp.protocol.DataReader;
import org.cartero.smtp.protocol.Extension;
import org.cartero.smtp.protocol.MessageRejectedException;
import org.cartero.smtp.protocol.Reply;
import org.cartero.smtp.protocol.SmtpException;
import org.cartero.smtp.queue.Destination;
import org.cartero.smtp.queue.Envelope;
import org.cartero.smtp.queue.MailQueue;
import org.cartero.smtp.queue.QueueEntry;
import org.cartero.smtp.queue.QueueId;
import org.cartero.smtp.queue.Recipient;
import org.cartero.smtp.routing.Route;
import org.cartero.store.files.Durable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP session (RFC 5321) on one connection: the greeting, then one command at a time, each
 * read by the {@link CommandParser} and carried out by its own handler below. A handler that
 * refuses throws an {@link SmtpException}; {@link #send} writes every reply, counts failures,
 * slows down and finally disconnects a client that keeps failing. Who may do what (AUTH before
 * MAIL on submission, relaying, the sender's address, the recipient limit) is decided by the
 * {@link SessionPolicy policies}, not here.
 *
 * <p>Replies are buffered and flushed when the client has sent nothing more (RFC 2920: a
 * pipelining client's group of commands gets its replies together). Each message is written to
 * the queue and made durable before its 250 reply, which carries the queue id; every log line
 * about the message starts with that id.
 */
final class SmtpSession implements SessionInfo {
    private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
    private static final int COPY_BUFFER = 8192;

    private final SmtpServer server;
    private final Connection connection;
    private final SmtpSettings settings;
    private final String hostname;
    private final Duration commandTimeout;
    private CommandParser parser;
    private String heloName; // null until HELO or EHLO
    private boolean esmtp;
    private Account account;
    private Transaction transaction;
    private int errors;
    private int junkCommands;

    SmtpSession(SmtpServer server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.settings = server.settings();
        this.hostname = server.config().hostname();
        this.commandTimeout = connection.idleTimeout();
        this.parser = new CommandParser(hostname, Set.of());
    }

    void run() throws IOException {
        try {
            if (!send(Reply.of(220, hostname + " ESMTP Cartero"))) return;
            while (true) {
                // RFC 2920 section 3.1: replies go out once the client's group of commands is read.
                if (connection.input().available() == 0) connection.flush();
                String line;
                try {
                    line = connection.readLine();
                } catch (LineTooLongException e) {
                    // RFC 5321 section 4.5.3.1.4
                    if (!send(Reply.of(500, "5.5.2", "Line too long"))) return;
                    continue;
                }
                if (line == null) {
                    log.debug("{}: the client closed the connection", connection);
                    return;
                }
                Reply reply = execute(line);
                if (reply != null && !send(reply)) return;
            }
        } catch (SocketTimeoutException e) {
            // RFC 5321 section 4.5.3.2.7: the server may close after 5 minutes without a command.
            log.info("{}: timed out waiting for the client{}", connection, transaction == null ? "" : " (" + transaction.id + " unfinished)");
            Reply.of(421, "4.4.2", hostname + " Timeout exceeded, closing connection").writeTo(connection.output());
        } finally {
            abortTransaction();
        }
    }

    /** Carries out one command line; null when the handler has replied itself (STARTTLS). */
    private Reply execute(String line) throws IOException {
        try {
            Command command = parser.parse(line, transaction != null && transaction.parameters.smtputf8());
            return switch (command) {
                case Command.Ehlo ehlo -> ehlo(ehlo);
                case Command.Helo helo -> helo(helo);
                case Command.Mail mail -> mail(mail);
                case Command.Rcpt rcpt -> rcpt(rcpt);
                case Command.Data data -> data();
                case Command.Bdat bdat -> bdat(bdat);
                case Command.Rset rset -> rset();
                case Command.Noop noop -> junk(Reply.of(250, "2.0.0", "OK"));
                case Command.Vrfy vrfy -> junk(Reply.of(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery"));
                case Command.Expn expn -> junk(Reply.of(502, "5.5.1", "EXPN not available"));
                case Command.Help help -> junk(Reply.of(214, "2.0.0", List.of(
                        "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP VRFY HELP QUIT STARTTLS AUTH",
                        "See RFC 5321 for how to use them")));
                case Command.Quit quit -> Reply.of(221, "2.0.0", hostname + " closing connection");
                case Command.StartTls startTls -> startTls();
                case Command.Auth auth -> auth(auth);
            };
        } catch (SmtpException e) {
            return e.reply();
        } catch (DirectoryException e) {
            log.error("{}: the directory cannot be read: {}", connection, e.getMessage());
            return Reply.of(451, "4.3.0", "Temporary lookup failure, try again later");
        }
    }

    // ---- Greeting and TLS ----

    private Reply ehlo(Command.Ehlo ehlo) {
        abortTransaction(); // RFC 5321 section 4.1.4: EHLO resets the state like RSET
        heloName = ehlo.domain();
        esmtp = true;
        Map<String, List<String>> extensions = new LinkedHashMap<>();
        Set<Extension> offered = EnumSet.noneOf(Extension.class);
        offer(extensions, offered, Extension.PIPELINING);
        offer(extensions, offered, Extension.SIZE, Long.toString(settings.maxMessageSize()));
        offer(extensions, offered, Extension.EIGHT_BIT_MIME);
        offer(extensions, offered, Extension.SMTPUTF8);
        offer(extensions, offered, Extension.ENHANCED_STATUS_CODES);
        offer(extensions, offered, Extension.DSN);
        offer(extensions, offered, Extension.CHUNKING);
        if (!connection.isTls()) offer(extensions, offered, Extension.STARTTLS);
        // RFC 4954 section 4 with RFC 8314: no password mechanism where a password would travel in clear.
        if (isSubmission() && account == null && passwordAllowed()) {
            offer(extensions, offered, Extension.AUTH, SaslExchange.MECHANISMS.toArray(String[]::new));
        }
        parser = new CommandParser(hostname, offered);
        return new Capabilities(hostname + " Hello " + heloName + " [" + clientAddress().getHostAddress() + "]", extensions)
                .toReply();
    }

    private static void offer(Map<String, List<String>> extensions, Set<Extension> offered, Extension extension,
                              String... parameters) {
        extensions.put(extension.keyword(), List.of(parameters));
        offered.add(extension);
    }

    private Reply helo(Command.Helo helo) {
        abortTransaction();
        heloName = helo.domain();
        esmtp = false;
        parser = new CommandParser(hostname, Set.of());
        // RFC 2034 section 4: no enhanced status code in the reply to HELO.
        return new Reply(250, null, List.of(hostname));
    }

    private Reply startTls() throws IOException, SmtpException {
        if (connection.isTls()) throw new SmtpException(503, "5.5.1", "TLS already active");
        abortTransaction();
        Reply.of(220, "2.0.0", "Ready to start TLS").writeTo(connection.output());
        connection.startTls(); // sends the reply, discards anything pipelined behind STARTTLS (RFC 3207 section 4.2)
        // RFC 3207 section 4.2: forget everything learnt before TLS; the client starts again with EHLO.
        heloName = null;
        esmtp = false;
        account = null;
        parser = new CommandParser(hostname, Set.of());
        return null;
    }

    // ---- Authentication (RFC 4954) ----

    private Reply auth(Command.Auth auth) throws IOException, SmtpException {
        if (!isSubmission()) throw new SmtpException(503, "5.5.1", "Authentication not enabled on this port");
        if (!esmtp) throw new SmtpException(503, "5.5.1", "Send EHLO first");
        if (account != null) throw new SmtpException(503, "5.5.1", "Already authenticated");
        if (transaction != null) throw new SmtpException(503, "5.5.1", "AUTH not permitted during a mail transaction");
        if (!passwordAllowed()) {
            throw new SmtpException(538, "5.7.11", "Encryption required for requested authentication mechanism");
        }
        SaslExchange exchange = SaslExchange.create(auth.mechanism(), server.authenticator(), clientAddress())
                .orElseThrow(() -> new SmtpException(504, "5.5.4", "Unrecognized authentication type"));
        SaslStep step = exchange.start(auth.initialResponse().map(SmtpSession::decodeResponse).orElse(null));
        while (step instanceof SaslStep.Challenge challenge) {
            Reply.of(334, Base64.getEncoder().encodeToString(challenge.data())).writeTo(connection.output());
            connection.flush();
            String line;
            try {
                line = connection.readLine();
            } catch (LineTooLongException e) {
                throw new SmtpException(500, "5.5.6", "Authentication Exchange line is too long");
            }
            if (line == null) throw new EOFException("the client closed the connection during AUTH");
            if (line.equals("*")) throw new SmtpException(501, "5.0.0", "Authentication cancelled");
            byte[] response;
            try {
                response = Base64.getDecoder().decode(line.strip());
            } catch (IllegalArgumentException e) {
                throw new SmtpException(501, "5.5.2", "Cannot Base64-decode the response");
            }
            step = exchange.step(response);
        }
        return switch (step) {
            case SaslStep.Success success -> {
                account = success.account();
                log.info("{}: authenticated as {} ({})", connection, account.name(), exchange.mechanism());
                yield Reply.of(235, "2.7.0", "Authentication successful");
            }
            case SaslStep.Failure failure -> switch (failure.reason()) {
                case TEMPORARY -> Reply.of(454, "4.7.0", "Temporary authentication failure");
                case MALFORMED -> Reply.of(501, "5.5.2", "Malformed authentication response");
                case BAD_CREDENTIALS, NOT_AUTHORIZED -> Reply.of(535, "5.7.8", "Authentication credentials invalid");
            };
            case SaslStep.Challenge c -> throw new IllegalStateException("unreachable");
        };
    }

    /** The initial response as sent: "=" stands for an empty one (RFC 4954 section 4); the parser checked the base64. */
    private static byte[] decodeResponse(String response) {
        return response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response);
    }

    // ---- The mail transaction ----

    private Reply mail(Command.Mail mail) throws SmtpException, DirectoryException {
        if (heloName == null) throw new SmtpException(503, "5.5.1", "Send HELO or EHLO first");
        if (transaction != null) throw new SmtpException(503, "5.5.1", "Nested MAIL command");
        // RFC 1870 section 6.1: a declared size above the limit is refused at once.
        if (mail.parameters().size().orElse(0) > settings.maxMessageSize()) {
            throw new SmtpException(552, "5.3.4", "Message size exceeds fixed maximum message size (" + settings.maxMessageSize() + ")");
        }
        for (SessionPolicy policy : server.policies()) policy.mail(this, mail);
        transaction = new Transaction(QueueId.next(), mail.sender(), mail.parameters());
        return Reply.of(250, "2.1.0", "Sender <" + mail.sender().map(Object::toString).orElse("") + "> OK");
    }

    private Reply rcpt(Command.Rcpt rcpt) throws SmtpException, DirectoryException {
        if (transaction == null) throw new SmtpException(503, "5.5.1", "Need MAIL before RCPT");
        Route route = server.router().route(rcpt.recipient());
        try {
            for (SessionPolicy policy : server.policies()) policy.recipient(this, rcpt.recipient(), route);
        } catch (SmtpException e) {
            log.info("{}: RCPT <{}> from <{}> refused ({}): {}", transaction.id, rcpt.recipient(),
                    transaction.sender.map(Object::toString).orElse(""), clientAddress().getHostAddress(), e.reply());
            throw e;
        }
        List<Destination> destinations = switch (route) {
            case Route.Deliver deliver -> deliver.destinations();
            case Route.Foreign foreign -> List.of(foreign.destination());
            case Route.Unknown unknown -> throw new IllegalStateException("the relay policy lets no unknown recipient through");
        };
        for (Destination destination : destinations) {
            transaction.accept(new Recipient(rcpt.recipient(), rcpt.parameters().notifyOn(),
                    rcpt.parameters().originalRecipient(), destination));
        }
        return Reply.of(250, "2.1.5", "Recipient <" + rcpt.recipient() + "> OK");
    }

    private Reply data() throws IOException, SmtpException {
        Transaction t = transactionWithRecipients();
        // (BODY=BINARYMIME, which would need BDAT, is not offered: the parser refuses it with 555.)
        if (t.chunked()) throw new SmtpException(503, "5.5.1", "DATA cannot follow BDAT in one transaction");
        Reply.of(354, "End data with <CR><LF>.<CR><LF>").writeTo(connection.output());
        connection.flush();
        transaction = null;
        connection.setIdleTimeout(settings.dataTimeout());
        try {
            DataReader data = new DataReader(connection.input(), settings.maxMessageSize(), settings.bareLineEndings());
            MailQueue.Draft draft = null;
            OutputStream content = null;
            IOException spoolFailure = null;
            try {
                draft = server.queue().create(envelope(t));
                content = startContent(t, draft);
            } catch (IOException e) {
                spoolFailure = e;
            }
            try {
                spoolFailure = copy(data, content, spoolFailure);
                if (data.bareLineEndings() > 0) {
                    log.info("{}: {} bare CR or LF turned into CRLF", t.id, data.bareLineEndings());
                }
                return finish(t, draft, content, spoolFailure);
            } catch (MessageRejectedException e) {
                log.info("{}: message from <{}> refused: {}", t.id, t.sender.map(Object::toString).orElse(""), e.reply());
                return e.reply();
            } finally {
                if (draft != null) draft.close();
            }
        } finally {
            connection.setIdleTimeout(commandTimeout);
        }
    }

    /** RFC 3030: the content in chunks of a given size, the last one marked LAST. */
    private Reply bdat(Command.Bdat bdat) throws IOException, SmtpException {
        SmtpException refusal = null;
        try {
            transactionWithRecipients();
        } catch (SmtpException e) {
            refusal = e;
        }
        if (refusal != null) {
            // RFC 3030 section 2: the chunk is read whatever the reply, or it would be taken for commands.
            ChunkReader.discard(connection.input(), bdat.size());
            throw refusal;
        }
        Transaction t = transaction;
        if (!t.chunked()) {
            t.chunks = new ChunkReader(connection.input(), settings.maxMessageSize());
            try {
                t.draft = server.queue().create(envelope(t));
                t.content = startContent(t, t.draft);
            } catch (IOException e) {
                t.spoolFailure = e;
            }
        }
        connection.setIdleTimeout(settings.dataTimeout());
        try (InputStream chunk = t.chunks.chunk(bdat.size())) {
            t.spoolFailure = copy(chunk, t.content, t.spoolFailure);
        } catch (MessageRejectedException e) {
            log.info("{}: message from <{}> refused: {}", t.id, t.sender.map(Object::toString).orElse(""), e.reply());
            abortTransaction();
            return e.reply();
        } finally {
            connection.setIdleTimeout(commandTimeout);
        }
        if (t.spoolFailure != null) {
            abortTransaction();
            return spoolFailed(t, t.spoolFailure);
        }
        if (!bdat.last()) return Reply.of(250, "2.0.0", bdat.size() + " octets received");
        transaction = null;
        try {
            return finish(t, t.draft, t.content, null);
        } finally {
            t.abort();
        }
    }

    private Reply rset() {
        abortTransaction();
        return junk(Reply.of(250, "2.0.0", "OK"));
    }

    /** The current transaction if it has a recipient; RFC 5321 section 3.3 gives 503 without MAIL, 554 without a valid RCPT. */
    private Transaction transactionWithRecipients() throws SmtpException {
        if (transaction == null) throw new SmtpException(503, "5.5.1", "Need MAIL and RCPT first");
        if (transaction.recipients.isEmpty()) throw new SmtpException(554, "5.5.1", "No valid recipients");
        return transaction;
    }

    private Envelope envelope(Transaction t) {
        return new Envelope(t.id, Instant.now(), t.sender, t.recipients, t.parameters.envelopeId(), t.parameters.ret(),
                t.parameters.smtputf8(), t.parameters.body(), Optional.ofNullable(account).map(Account::name),
                clientAddress().getHostAddress(), Optional.of(heloName));
    }

    /** Writes the Received field and returns where the client's content goes. */
    private OutputStream startContent(Transaction t, MailQueue.Draft draft) throws IOException {
        ZonedDateTime now = ZonedDateTime.now();
        Optional<ReceivedField.Tls> tls = connection.isTls()
                ? Optional.of(new ReceivedField.Tls(connection.tlsProtocol(), connection.tlsCipherSuite()))
                : Optional.empty();
        draft.content().write(ReceivedField.of(Optional.of(heloName), Optional.of(clientAddress().getHostAddress()),
                Optional.empty(), hostname, ReceivedField.protocol(esmtp, connection.isTls(), account != null,
                        t.parameters.smtputf8()),
                t.id, tls, t.singleRecipient().map(Object::toString), now));
        if (!isSubmission()) return draft.content();
        // RFC 6409 section 8: the submission server completes the header.
        return new HeaderCompletion(draft.content(), () -> HeaderFields.date(now), () -> HeaderFields.messageId(t.id, hostname), null);
    }

    /**
     * Copies the content to the queue. A failure to write it is remembered, not thrown: the rest
     * of the content must still be read off the connection, to stay in step with the client.
     */
    private static IOException copy(InputStream data, OutputStream content, IOException spoolFailure) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        for (int n; (n = data.read(buffer)) > 0; ) {
            if (spoolFailure != null) continue;
            try {
                content.write(buffer, 0, n);
            } catch (IOException e) {
                spoolFailure = e;
            }
        }
        return spoolFailure;
    }

    /** Makes the message durable and answers; or answers why not. */
    private Reply finish(Transaction t, MailQueue.Draft draft, OutputStream content, IOException spoolFailure) {
        if (spoolFailure != null) return spoolFailed(t, spoolFailure);
        QueueEntry entry;
        try {
            if (content instanceof HeaderCompletion completion) completion.finish();
            entry = draft.commit();
        } catch (IOException e) {
            return spoolFailed(t, e);
        }
        junkCommands = 0;
        log.info("{}: accepted from=<{}> size={} nrcpt={} client={}{}{}", t.id, entry.envelope().senderText(),
                entry.contentSize(), t.recipientCount(), clientAddress().getHostAddress(),
                account == null ? "" : " user=" + account.name(),
                connection.isTls() ? " tls=" + connection.tlsProtocol() : "");
        server.queued(entry);
        return Reply.of(250, "2.0.0", "OK: queued as " + t.id);
    }

    private Reply spoolFailed(Transaction t, IOException e) {
        log.error("{}: cannot write the message to the queue: {}", t.id, e.toString());
        return Durable.isNoSpace(e)
                ? Reply.of(452, "4.3.1", "Insufficient system storage, try again later")
                : Reply.of(451, "4.3.0", "Local error in processing, try again later");
    }

    private void abortTransaction() {
        if (transaction != null) {
            transaction.abort();
            transaction = null;
        }
    }

    // ---- Replies and limits ----

    /** A reply to a command that moves no mail; too many of them in a row end the session. */
    private Reply junk(Reply reply) {
        if (++junkCommands > settings.maxJunkCommands()) {
            log.info("{}: more than {} commands without mail, closing", connection, settings.maxJunkCommands());
            return Reply.of(421, "4.7.0", hostname + " Too many commands without mail, closing connection");
        }
        return reply;
    }

    /**
     * Writes a reply (buffered). A failure reply counts against the client: past
     * {@code errors_before_delay} each one waits first, at {@code max_errors} the session ends
     * with 421. Returns false when the session is over.
     */
    private boolean send(Reply reply) throws IOException {
        // 452 4.5.3 (too many recipients) is the protocol's way to pace a client, not its fault.
        boolean failure = reply.code() >= 400 && !reply.closesConnection() && reply.code() != 452;
        if (failure && ++errors >= settings.maxErrors()) {
            reply.writeTo(connection.output());
            log.info("{}: {} failed commands, closing", connection, errors);
            Reply.of(421, "4.7.0", hostname + " Too many errors, closing connection").writeTo(connection.output());
            return false;
        }
        if (failure && errors > settings.errorsBeforeDelay()) {
            connection.flush();
            try {
                Thread.sleep(settings.errorDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        reply.writeTo(connection.output());
        return !reply.closesConnection();
    }

    // ---- SessionInfo ----

    @Override
    public Service service() {
        return connection.service();
    }

    @Override
    public InetAddress clientAddress() {
        return connection.remoteAddress().getAddress();
    }

    @Override
    public boolean isTls() {
        return connection.isTls();
    }

    @Override
    public boolean passwordAllowed() {
        return server.authenticator().passwordAllowed(connection.isTls(), connection.isLoopback());
    }

    @Override
    public Optional<Account> account() {
        return Optional.ofNullable(account);
    }

    @Override
    public int recipientCount() {
        return transaction == null ? 0 : transaction.recipientCount();
    }
}
