package org.cartero.pop3.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.OptionalLong;
import org.cartero.core.auth.AuthResult;
import org.cartero.core.auth.SaslExchange;
import org.cartero.core.auth.SaslStep;
import org.cartero.core.directory.Account;
import org.cartero.core.net.Connection;
import org.cartero.core.net.LineTooLongException;
import org.cartero.pop3.protocol.Command;
import org.cartero.pop3.protocol.CommandParser;
import org.cartero.pop3.protocol.MessageStreamer;
import org.cartero.pop3.protocol.MultilineWriter;
import org.cartero.pop3.protocol.Pop3Exception;
import org.cartero.pop3.protocol.Response;
import org.cartero.pop3.protocol.ResponseCode;
import org.cartero.pop3.protocol.SaslCodec;
import org.cartero.store.MailboxLockedException;
import org.cartero.store.MessageGoneException;
import org.cartero.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 session (RFC 1939), from the greeting to the end of the connection. The AUTHORIZATION
 * state lasts until USER/PASS or AUTH succeed and the maildrop is locked; the TRANSACTION state
 * works on that {@link Maildrop}; QUIT enters the UPDATE state, where deletions take effect. A
 * session that ends any other way (the client vanishes, the idle timeout, a shutdown) never
 * reaches UPDATE and deletes nothing (RFC 1939 section 6). The idle timeout closes without a
 * word, as RFC 1939 section 3 asks of an autologout timer.
 *
 * <p>Errors the client caused (unknown or malformed commands, commands out of place, over-long
 * lines, failed logins) are raised as {@link Pop3Exception}s and counted; at
 * {@code max_bad_commands} the session is closed. Errors of the server (a locked maildrop, a
 * store failure) are answered without counting.
 *
 * <p>Responses are buffered and sent when no further command is waiting, so a client that
 * pipelines (RFC 2449 section 6.6) gets its answers in few packets.
 */
final class Pop3Session {
    private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

    private final Pop3Handler server;
    private final Connection connection;
    private final OutputStream out;
    private MessageStreamer streamer;
    private String pendingUser; // given by USER; PASS must come next
    private Account account;
    private Maildrop maildrop;  // set in the TRANSACTION state
    private int badCommands;
    private boolean ending;     // the loop stops after this command
    private boolean quitting;   // QUIT was received

    Pop3Session(Pop3Handler server, Connection connection) {
        this.server = server;
        this.connection = connection;
        this.out = connection.output();
    }

    void run() throws IOException {
        // No APOP timestamp in the greeting: APOP is not offered (see CommandParser).
        send(Response.ok(server.hostname() + " Cartero POP3 server ready"));
        try {
            while (!ending) {
                if (connection.input().available() == 0) connection.flush();
                String line;
                try {
                    line = connection.readLine();
                } catch (LineTooLongException e) {
                    refuse(Response.error("line longer than " + e.maxLength() + " octets"));
                    continue;
                }
                if (line == null) return; // the client left without QUIT: no UPDATE state
                String user = pendingUser;
                pendingUser = null;       // RFC 1939 section 7: PASS only right after USER
                try {
                    execute(CommandParser.parse(line), user);
                } catch (Pop3Exception e) {
                    refuse(e.response());
                }
            }
        } finally {
            if (maildrop != null) {
                if (!quitting) log.info("{}: {} left without QUIT: nothing deleted", connection, account.name());
                maildrop.close();
            }
        }
    }

    private void execute(Command command, String user) throws IOException, Pop3Exception {
        switch (command) {
            case Command.Capa c -> capa();
            case Command.Quit q -> quit();
            case Command.Noop n -> {
                transaction("NOOP");
                send(Response.ok(""));
            }
            case Command.Stls s -> stls();
            case Command.Utf8 u -> {
                // RFC 6856 section 2: before login only. Messages go out as stored either way.
                authorization("UTF8");
                send(Response.ok("UTF-8 mode on"));
            }
            case Command.User u -> {
                authorization("USER");
                requirePasswordsAllowed();
                pendingUser = u.name();
                send(Response.ok("send PASS"));
            }
            case Command.Pass p -> pass(user, p.password());
            case Command.Auth a -> auth(a);
            case Command.Stat s -> {
                Maildrop drop = transaction("STAT");
                send(Response.ok(drop.messageCount() + " " + drop.octets()));
            }
            case Command.List l -> list(l.message());
            case Command.Uidl u -> uidl(u.message());
            case Command.Retr r -> retrieve(transaction("RETR"), r.message(), MessageStreamer.WHOLE_MESSAGE);
            case Command.Top t -> retrieve(transaction("TOP"), t.message(), t.lines());
            case Command.Dele d -> {
                Maildrop drop = transaction("DELE");
                int n = drop.message(d.message());
                drop.delete(n);
                send(Response.ok("message " + n + " deleted"));
            }
            case Command.Rset r -> {
                Maildrop drop = transaction("RSET");
                drop.reset();
                send(Response.ok("maildrop has " + drop.messageCount() + " messages (" + drop.octets() + " octets)"));
            }
        }
    }

    // ---- states

    private void authorization(String keyword) throws Pop3Exception {
        if (maildrop != null) throw new Pop3Exception(keyword + " is valid only before login");
    }

    private Maildrop transaction(String keyword) throws Pop3Exception {
        if (maildrop == null) throw new Pop3Exception(keyword + " is valid only after login");
        return maildrop;
    }

    // ---- AUTHORIZATION

    /** RFC 2595 section 4: STLS in the AUTHORIZATION state only; the session stays in it. */
    private void stls() throws IOException, Pop3Exception {
        authorization("STLS");
        if (connection.isTls()) throw new Pop3Exception("TLS is already active");
        send(Response.ok("begin TLS negotiation"));
        connection.startTls(); // sends the +OK, then drops anything pipelined behind STLS
    }

    private void requirePasswordsAllowed() throws Pop3Exception {
        if (!server.authenticator().passwordAllowed(connection.isTls(), connection.isLoopback())) {
            throw new Pop3Exception(ResponseCode.AUTH, "plaintext authentication is disallowed without TLS: use STLS or port 995");
        }
    }

    private void pass(String user, String password) throws IOException, Pop3Exception {
        authorization("PASS");
        if (user == null) throw new Pop3Exception("PASS must follow USER");
        AuthResult result = server.authenticator().authenticate(user, password, connection.remoteAddress().getAddress());
        switch (result) {
            case AuthResult.Success s -> logIn(s.account());
            case AuthResult.BadCredentials b -> throw new Pop3Exception(ResponseCode.AUTH, "invalid user name or password");
            case AuthResult.Throttled t -> throw new Pop3Exception(ResponseCode.AUTH, "too many failed logins, try again later");
            case AuthResult.Unavailable u -> send(Response.error(ResponseCode.SYS_TEMP, "authentication is unavailable, try again later"));
        }
    }

    /** RFC 5034: AUTH with an optional initial response; "*" cancels. */
    private void auth(Command.Auth auth) throws IOException, Pop3Exception {
        authorization("AUTH");
        boolean allowed = server.authenticator().passwordAllowed(connection.isTls(), connection.isLoopback());
        if (auth.mechanism() == null) {
            // A bare AUTH lists the mechanisms, for clients older than CAPA.
            send(Response.ok("SASL mechanisms follow"));
            MultilineWriter lines = new MultilineWriter(out);
            if (allowed) {
                for (String mechanism : SaslExchange.MECHANISMS) lines.line(mechanism);
            }
            lines.end();
            return;
        }
        requirePasswordsAllowed();
        SaslExchange exchange = SaslExchange.create(auth.mechanism(), server.authenticator(),
                connection.remoteAddress().getAddress()).orElseThrow(() -> new Pop3Exception("unsupported SASL mechanism"));
        SaslStep step = exchange.start(auth.initialResponse());
        while (step instanceof SaslStep.Challenge challenge) {
            connection.writeLine(SaslCodec.challenge(challenge.data()));
            connection.flush();
            String line;
            try {
                line = connection.readLine();
            } catch (LineTooLongException e) {
                throw new Pop3Exception("SASL response longer than " + e.maxLength() + " octets");
            }
            if (line == null) {
                ending = true;
                return;
            }
            if (SaslCodec.isCancel(line)) throw new Pop3Exception("authentication cancelled");
            step = exchange.step(SaslCodec.decodeResponse(line));
        }
        switch (step) {
            case SaslStep.Success s -> logIn(s.account());
            case SaslStep.Failure f -> {
                switch (f.reason()) {
                    case MALFORMED -> throw new Pop3Exception("malformed SASL response: " + f.message());
                    case BAD_CREDENTIALS -> throw new Pop3Exception(ResponseCode.AUTH, "invalid user name or password");
                    case NOT_AUTHORIZED -> throw new Pop3Exception(ResponseCode.AUTH, "not authorized to act as another user");
                    case TEMPORARY -> send(Response.error(ResponseCode.SYS_TEMP, "authentication failed for now, try again later"));
                }
            }
            case SaslStep.Challenge c -> throw new IllegalStateException("the exchange loop ends only after the last challenge");
        }
    }

    /** Enters the TRANSACTION state: the user is known; LOGIN-DELAY permitting, the maildrop is locked and read. */
    private void logIn(Account user) throws IOException {
        LoginDelays delays = server.loginDelays();
        if (delays != null && !delays.mayLogIn(user.name())) {
            send(Response.error(ResponseCode.LOGIN_DELAY, "wait " + server.settings().loginDelay().toSeconds()
                    + " seconds between logins"));
            return;
        }
        try {
            maildrop = Maildrop.open(server.store(), user);
        } catch (MailboxLockedException e) {
            log.info("{}: maildrop of {} in use: {}", connection, user.name(), e.getMessage());
            send(Response.error(ResponseCode.IN_USE, "maildrop in use by another session"));
            return;
        } catch (StoreException e) {
            log.warn("{}: cannot open the maildrop of {}: {}", connection, user.name(), e.toString());
            send(Response.error(e.isTemporary() ? ResponseCode.SYS_TEMP : ResponseCode.SYS_PERM, "cannot open the maildrop"));
            return;
        } catch (IOException e) {
            log.error("{}: cannot open the maildrop of {}", connection, user.name(), e);
            send(Response.error(ResponseCode.SYS_TEMP, "cannot open the maildrop"));
            return;
        }
        if (delays != null) delays.loggedIn(user.name());
        account = user;
        log.info("{}: {} logged in: {} messages, {} octets", connection, user.name(), maildrop.messageCount(), maildrop.octets());
        send(Response.ok("maildrop locked and ready, " + maildrop.messageCount() + " messages ("
                + maildrop.octets() + " octets)"));
    }

    // ---- TRANSACTION

    private void list(OptionalLong message) throws IOException, Pop3Exception {
        Maildrop drop = transaction("LIST");
        if (message.isPresent()) {
            int n = drop.message(message.getAsLong());
            send(Response.ok(n + " " + drop.size(n)));
            return;
        }
        send(Response.ok(drop.messageCount() + " messages (" + drop.octets() + " octets)"));
        MultilineWriter lines = new MultilineWriter(out);
        for (int n = 1; n <= drop.highestNumber(); n++) {
            if (!drop.isDeleted(n)) lines.line(n + " " + drop.size(n));
        }
        lines.end();
    }

    private void uidl(OptionalLong message) throws IOException, Pop3Exception {
        Maildrop drop = transaction("UIDL");
        if (message.isPresent()) {
            int n = drop.message(message.getAsLong());
            send(Response.ok(n + " " + drop.uniqueId(n)));
            return;
        }
        send(Response.ok("unique-id listing follows"));
        MultilineWriter lines = new MultilineWriter(out);
        for (int n = 1; n <= drop.highestNumber(); n++) {
            if (!drop.isDeleted(n)) lines.line(n + " " + drop.uniqueId(n));
        }
        lines.end();
    }

    /** RETR, or TOP with a body line count. Only a RETR sent whole counts as retrieved (for \Seen). */
    private void retrieve(Maildrop drop, long number, long bodyLines) throws IOException, Pop3Exception {
        int n = drop.message(number);
        InputStream content;
        try {
            content = drop.open(n);
        } catch (MessageGoneException e) {
            send(Response.error("message " + n + " was removed by another session"));
            return;
        } catch (IOException e) {
            log.warn("{}: cannot read message {} of {}: {}", connection, n, account.name(), e.toString());
            send(Response.error(ResponseCode.SYS_TEMP, "cannot read message " + n));
            return;
        }
        // Once the +OK is out, a failure can only end the connection: the client sees no "." line.
        try (content) {
            send(Response.ok(bodyLines == MessageStreamer.WHOLE_MESSAGE ? drop.size(n) + " octets" : "top of message follows"));
            if (streamer == null) streamer = new MessageStreamer();
            streamer.send(content, out, bodyLines);
        }
        if (bodyLines == MessageStreamer.WHOLE_MESSAGE) drop.retrieved(n);
    }

    // ---- both states

    private void capa() throws IOException {
        send(Response.ok("capability list follows"));
        MultilineWriter lines = new MultilineWriter(out);
        boolean passwords = server.authenticator().passwordAllowed(connection.isTls(), connection.isLoopback());
        for (String line : server.capabilities().lines(maildrop == null, connection.isTls(), passwords)) lines.line(line);
        lines.end();
    }

    /** QUIT: ends the session; after login it is the UPDATE state (RFC 1939 section 6). */
    private void quit() throws IOException {
        ending = true;
        quitting = true;
        String farewell = server.hostname() + " Cartero POP3 server signing off";
        if (maildrop == null) {
            send(Response.ok(farewell));
            return;
        }
        try {
            int removed = maildrop.update(server.settings().expire() == Pop3Settings.Expire.RETRIEVED);
            log.info("{}: {} quit: {} messages deleted", connection, account.name(), removed);
            send(Response.ok(farewell + " (" + removed + " messages deleted)"));
        } catch (IOException e) {
            log.warn("{}: deleting messages of {} failed: {}", connection, account.name(), e.toString());
            send(Response.error(ResponseCode.SYS_TEMP, "some deleted messages not removed"));
        }
    }

    // ---- responses

    private void send(Response response) throws IOException {
        response.writeTo(out);
    }

    /** Answers a client's error, counting it; one too many ends the session. */
    private void refuse(Response response) throws IOException {
        if (++badCommands >= server.settings().maxBadCommands()) {
            send(Response.error(response.code(), response.text() + "; too many bad commands, closing the connection"));
            ending = true;
            return;
        }
        send(response);
    }
}
