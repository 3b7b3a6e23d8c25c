package org.cartero.imap.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.cartero.core.directory.Account;
import org.cartero.core.net.Connection;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.CommandReader;
import org.cartero.imap.protocol.Received;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.ResponseWriter;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.AccountStore;
import org.cartero.store.UidSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP connection, from the greeting to the end: the states of RFC 9051 section 3 (not
 * authenticated, authenticated, selected, logout), the loop that reads a command, runs its
 * handler and answers it, and the unsolicited responses that go with each answer.
 *
 * <p>Handlers are linear: each returns the command's tagged OK, or throws an
 * {@link ImapException} (or a store exception) where it finds a problem; {@link #execute} turns
 * that into the tagged NO or BAD. Between commands a pusher thread may write too (IDLE and
 * NOTIFY push changes while no command is in progress), so whatever touches the session's state
 * or output holds {@link #busy}.
 */
final class Session {

    enum State { NOT_AUTHENTICATED, AUTHENTICATED, SELECTED, LOGOUT }

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    /** Consecutive BAD commands after which the client is taken to be lost, as Dovecot does. */
    private static final int MAX_BAD_COMMANDS = 20;

    final ImapServer server;
    final Connection connection;
    final CommandReader reader;
    final ResponseWriter writer;
    /** Held while a command runs, and by the pusher while it writes between commands. */
    private final ReentrantLock busy = new ReentrantLock();
    private final Semaphore wakeups = new Semaphore(0);
    private Thread pusher;
    /** True while changes are to be sent as they happen: during IDLE, or with NOTIFY. */
    private volatile boolean pushing;
    private volatile boolean idling;
    private volatile boolean ended;

    private State state = State.NOT_AUTHENTICATED;
    private Account account;
    private AccountStore store;
    private SelectedMailbox selected;
    private Notifications notifications;
    private int badCommands;
    private boolean compressed;

    /** Extensions the client turned on (ENABLE, RFC 5161), or that a command implied (CONDSTORE). */
    private boolean imap4rev2;
    private boolean utf8;
    private boolean condStore;
    private boolean qresync;

    Session(ImapServer server, Connection connection) {
        this.server = server;
        this.connection = connection;
        InputStream in = ClientGoneException.guard(connection.input());
        OutputStream out = ClientGoneException.guard(connection.output());
        this.writer = new ResponseWriter(out);
        this.reader = new CommandReader(in, server.settings().readerLimits(), this::requestLiteral);
    }

    // ---- the loop ---------------------------------------------------------------------------

    void run() throws IOException {
        try {
            send(new StatusResponse(null, StatusResponse.Kind.OK,
                    new ResponseCode.Capability(Capabilities.of(this)), "Cartero IMAP ready"));
            flush();
            while (state != State.LOGOUT) {
                Received received = reader.next();
                busy.lock();
                try {
                    switch (received) {
                        case Received.Closed closed -> {
                            return;
                        }
                        case Received.Refused refused -> refused(refused);
                        case Received.Request request -> execute(request.tag(), request.command());
                    }
                    flush();
                } finally {
                    busy.unlock();
                }
            }
        } catch (ClientGoneException e) {
            if (e.timedOut()) sayGoodbye("Autologout: idle for too long");
            else log.debug("{}: client gone: {}", connection, e.getMessage());
        } finally {
            end();
        }
    }

    private void refused(Received.Refused refused) throws IOException {
        send(refused.response());
        if (refused.closeConnection()) {
            send(StatusResponse.bye("The rest of that command cannot be read; closing"));
            state = State.LOGOUT;
        } else if (refused.response().kind() == StatusResponse.Kind.BAD) {
            countBad();
        }
    }

    /** Runs one command and answers it: its handler's responses, the updates it allows, the tagged result. */
    private void execute(String tag, Command command) throws IOException {
        StatusResponse result;
        try {
            result = dispatch(tag, command);
        } catch (ImapException e) {
            result = e.response(tag);
            if (e.closeConnection()) {
                send(result);
                sayGoodbye("The rest of that command cannot be read; closing");
                state = State.LOGOUT;
                return;
            }
        } catch (BrokenResponseException e) {
            log.warn("{}: a response broke off while being written: {}", connection, e.getMessage(), e.getCause());
            sayGoodbye("Internal error while sending a response");
            state = State.LOGOUT;
            return;
        } catch (IOException | RuntimeException e) {
            ClientGoneException gone = ClientGoneException.in(e);
            if (gone != null) throw gone;
            result = Failures.toResponse(tag, e, this);
        }
        if (result == null) return; // the handler answered (STARTTLS, COMPRESS)
        if (result.kind() == StatusResponse.Kind.BAD) countBad();
        else badCommands = 0;
        if (state == State.SELECTED && result.kind() != StatusResponse.Kind.BAD) {
            UidSet arrived = selected.sendUpdates(this, expungesAllowedAfter(command));
            if (notifications != null) notifications.newMessages(arrived);
        }
        if (notifications != null) notifications.sendEvents(this);
        send(result);
        if (state == State.LOGOUT) flush();
    }

    /**
     * RFC 9051 section 7.5.1: no EXPUNGE while answering FETCH, STORE or SEARCH (nor SORT and
     * THREAD, which answer with sequence numbers too), so the client's numbers stay valid; the
     * UID forms may have them.
     */
    private static boolean expungesAllowedAfter(Command command) {
        return switch (command) {
            case Command.Fetch c -> c.uid();
            case Command.Store c -> c.uid();
            case Command.Search c -> c.uid();
            case Command.Sort c -> c.uid();
            case Command.Thread c -> c.uid();
            default -> true;
        };
    }

    private void countBad() throws IOException {
        if (++badCommands >= MAX_BAD_COMMANDS) {
            sayGoodbye("Too many invalid commands");
            state = State.LOGOUT;
        }
    }

    /** The handler of each command, after the state checks of RFC 9051 section 6. */
    private StatusResponse dispatch(String tag, Command command) throws IOException, ImapException {
        return switch (command) {
            // any state (RFC 9051 section 6.1)
            case Command.Capability c -> AnyStateCommands.capability(this, tag);
            case Command.Noop c -> AnyStateCommands.noop(this, tag);
            case Command.Logout c -> AnyStateCommands.logout(this, tag);
            case Command.Id c -> AnyStateCommands.id(this, tag, c);
            // not authenticated (section 6.2)
            case Command.StartTls c -> AuthenticationCommands.startTls(requireNotAuthenticated(), tag);
            case Command.Login c -> AuthenticationCommands.login(requireNotAuthenticated(), tag, c);
            case Command.Authenticate c -> AuthenticationCommands.authenticate(requireNotAuthenticated(), tag, c);
            // authenticated (section 6.3)
            case Command.Enable c -> EnableCommand.enable(requireAuthenticated(), tag, c);
            case Command.Select c -> SelectCommand.select(requireAuthenticated(), tag, c);
            case Command.Create c -> MailboxCommands.create(requireAuthenticated(), tag, c);
            case Command.Delete c -> MailboxCommands.delete(requireAuthenticated(), tag, c);
            case Command.Rename c -> MailboxCommands.rename(requireAuthenticated(), tag, c);
            case Command.Subscribe c -> MailboxCommands.subscribe(requireAuthenticated(), tag, c);
            case Command.Unsubscribe c -> MailboxCommands.unsubscribe(requireAuthenticated(), tag, c);
            case Command.Namespace c -> MailboxCommands.namespace(requireAuthenticated(), tag);
            case Command.ListMailboxes c -> ListCommand.list(requireAuthenticated(), tag, c);
            case Command.Lsub c -> ListCommand.lsub(requireAuthenticated(), tag, c);
            case Command.Status c -> StatusCommand.status(requireAuthenticated(), tag, c);
            case Command.Append c -> AppendCommand.append(requireAuthenticated(), tag, c);
            case Command.Idle c -> IdleCommand.idle(requireAuthenticated(), tag);
            case Command.GetQuota c -> QuotaCommands.getQuota(requireAuthenticated(), tag, c);
            case Command.GetQuotaRoot c -> QuotaCommands.getQuotaRoot(requireAuthenticated(), tag, c);
            case Command.SetQuota c -> QuotaCommands.setQuota(requireAuthenticated(), tag, c);
            case Command.Compress c -> CompressCommand.compress(requireAuthenticated(), tag, c);
            case Command.Notify c -> NotifyCommand.notify(requireAuthenticated(), tag, c);
            case Command.GenUrlAuth c -> UrlAuthCommands.genUrlAuth(requireAuthenticated(), tag, c);
            case Command.ResetKey c -> UrlAuthCommands.resetKey(requireAuthenticated(), tag, c);
            case Command.UrlFetch c -> UrlAuthCommands.urlFetch(requireAuthenticated(), tag, c);
            // selected (section 6.4)
            case Command.Check c -> SelectedCommands.check(requireSelected(), tag);
            case Command.Close c -> SelectedCommands.close(requireSelected(), tag);
            case Command.Unselect c -> SelectedCommands.unselect(requireSelected(), tag);
            case Command.Expunge c -> SelectedCommands.expunge(requireSelected(), tag, c);
            case Command.Fetch c -> FetchCommand.fetch(requireSelected(), tag, c);
            case Command.Store c -> StoreCommand.store(requireSelected(), tag, c);
            case Command.Copy c -> CopyCommand.copy(requireSelected(), tag, c.uid(), c.set(), c.mailbox(), false);
            case Command.Move c -> CopyCommand.copy(requireSelected(), tag, c.uid(), c.set(), c.mailbox(), true);
            case Command.Search c -> SearchCommand.search(requireSelected(), tag, c);
            case Command.Sort c -> SearchCommand.sort(requireSelected(), tag, c);
            case Command.Thread c -> SearchCommand.thread(requireSelected(), tag, c);
            case Command.CancelUpdate c -> SearchCommand.cancelUpdate(requireSelected(), tag, c);
        };
    }

    private Session requireNotAuthenticated() throws ImapException {
        if (state != State.NOT_AUTHENTICATED) throw ImapException.bad("Already authenticated");
        return this;
    }

    private Session requireAuthenticated() throws ImapException {
        if (state == State.NOT_AUTHENTICATED) throw ImapException.bad("Log in first");
        return this;
    }

    private Session requireSelected() throws ImapException {
        if (state != State.SELECTED) throw ImapException.bad("No mailbox selected");
        return this;
    }

    // ---- state ------------------------------------------------------------------------------

    State state() {
        return state;
    }

    Account account() {
        return account;
    }

    AccountStore store() {
        return store;
    }

    SelectedMailbox selected() {
        return selected;
    }

    /** Enters the authenticated state for {@code account}, whose mail is now open in {@code accountStore}. */
    void authenticated(Account authenticated, AccountStore accountStore) {
        account = authenticated;
        store = accountStore;
        state = State.AUTHENTICATED;
        log.info("{}: logged in as {}", connection, authenticated.name());
    }

    /** Makes {@code mailbox} the selected mailbox (after {@link #deselect()}). */
    void selected(SelectedMailbox mailbox) {
        selected = mailbox;
        state = State.SELECTED;
    }

    /** Leaves the selected state, if in it; the mailbox's changes no longer concern the session. */
    void deselect() {
        if (selected == null) return;
        selected.close();
        selected = null;
        state = State.AUTHENTICATED;
    }

    void loggingOut() {
        state = State.LOGOUT;
    }

    boolean compressed() {
        return compressed;
    }

    void compressed(boolean active) {
        compressed = active;
    }

    Notifications notifications() {
        return notifications;
    }

    void notifications(Notifications replacement) throws IOException {
        if (notifications != null) notifications.close();
        notifications = replacement;
        if (notifications != null) startPushing();
        else pushing = idling;
    }

    // ---- enabled extensions -----------------------------------------------------------------

    boolean imap4rev2() {
        return imap4rev2;
    }

    /** IMAP4rev2 (RFC 9051): no \Recent, ESEARCH for SEARCH, UTF-8 names and strings. */
    void enableImap4rev2() {
        imap4rev2 = true;
        enableUtf8();
    }

    boolean utf8() {
        return utf8;
    }

    /** UTF8=ACCEPT (RFC 6855 section 3), also implied by IMAP4rev2: names and strings in UTF-8. */
    void enableUtf8() {
        if (utf8) return;
        utf8 = true;
        reader.enableUtf8();
        writer.enableUtf8();
    }

    boolean condStore() {
        return condStore;
    }

    /**
     * Turns CONDSTORE on (RFC 7162 section 3.1): by ENABLE, or by the first command that uses
     * it. If a mailbox is selected, the client learns its HIGHESTMODSEQ now (section 3.1.2.1).
     */
    void enableCondStore() throws IOException {
        if (condStore) return;
        condStore = true;
        if (selected != null) {
            send(StatusResponse.ok(null, ResponseCode.highestModSeq(selected.highestModSeq()), "Highest"));
        }
    }

    boolean qresync() {
        return qresync;
    }

    /** QRESYNC (RFC 7162 section 3.2.3), which implies CONDSTORE. */
    void enableQresync() throws IOException {
        qresync = true;
        enableCondStore();
    }

    /** Whether messages have a \Recent flag in this session: IMAP4rev1 only (RFC 9051 appendix E). */
    boolean recentFlags() {
        return !imap4rev2;
    }

    // ---- output -----------------------------------------------------------------------------

    void send(Response response) throws IOException {
        writer.write(response);
    }

    /**
     * Writes a response with streamed content (FETCH, URLFETCH). A failure of the message's file
     * in the middle of a literal leaves the client unable to read on, so it ends the session;
     * the client going away stays that.
     */
    void sendStreamed(Response response) throws IOException {
        try {
            writer.write(response);
        } catch (ClientGoneException e) {
            throw e;
        } catch (IOException e) {
            throw new BrokenResponseException(e);
        }
    }

    void flush() throws IOException {
        writer.flush();
    }

    /** Asks for a synchronising literal; also between commands, where a pusher may be writing. */
    private void requestLiteral() throws IOException {
        busy.lock();
        try {
            writer.continuation("Ready for literal data");
            writer.flush();
        } finally {
            busy.unlock();
        }
    }

    /** Says BYE; the lock keeps the pusher from writing at the same time (after a timeout it may be running). */
    private void sayGoodbye(String text) {
        busy.lock();
        try {
            send(StatusResponse.bye(text));
            flush();
        } catch (IOException e) {
            log.debug("{}: could not say goodbye: {}", connection, e.getMessage());
        } finally {
            busy.unlock();
        }
    }

    // ---- pushing changes between commands (IDLE, NOTIFY) -------------------------------------

    /** Called by the store (on its thread, quickly) when a watched mailbox may have changed. */
    void wake() {
        wakeups.release();
    }

    /**
     * Runs {@code waitForClient} (which reads the client's next line) while the pusher sends
     * the changes of the selected mailbox and of NOTIFY as they happen (RFC 2177).
     */
    <T> T idle(IdleWait<T> waitForClient) throws IOException, ImapException {
        idling = true;
        startPushing();
        flush();
        busy.unlock();
        try {
            return waitForClient.read();
        } finally {
            busy.lock();
            idling = false;
            pushing = notifications != null;
        }
    }

    @FunctionalInterface
    interface IdleWait<T> {
        T read() throws IOException, ImapException;
    }

    /**
     * Pushes changes from now on: the session's pusher thread, made on first use and kept until
     * the session ends, sends them whenever the store wakes it and no command runs.
     */
    private void startPushing() {
        pushing = true;
        if (pusher == null || !pusher.isAlive()) pusher = Thread.ofVirtual().name("imap-push").start(this::push);
        wake();
    }

    private void push() {
        try {
            while (!ended) {
                Notifications wanted = notifications;
                wakeups.tryAcquire(wanted != null && wanted.watchesMailboxList() ? Notifications.LIST_POLL_SECONDS : 60,
                        TimeUnit.SECONDS);
                wakeups.drainPermits();
                if (!pushing) continue;
                busy.lock();
                try {
                    if (pushing && !ended) {
                        pushChanges();
                        flush();
                    }
                } finally {
                    busy.unlock();
                }
            }
        } catch (InterruptedException e) {
            // the server is stopping
        } catch (IOException | RuntimeException e) {
            if (ClientGoneException.in(e) == null) log.warn("{}: pushing changes failed", connection, e);
        }
    }

    /**
     * What may be sent while no command is in progress: during IDLE the selected mailbox's
     * changes, with NOTIFY those it asks for (RFC 5465: SELECTED-DELAYED keeps EXPUNGE back).
     */
    private void pushChanges() throws IOException {
        if (selected != null && (idling || notifications != null && notifications.coversSelected())) {
            UidSet arrived = selected.sendUpdates(this, idling || notifications.expungesAnytime());
            if (notifications != null) notifications.newMessages(arrived);
        }
        if (notifications != null) notifications.sendEvents(this);
    }

    /** Releases what the session holds: the pusher, the selected mailbox, the account's store. */
    private void end() {
        busy.lock();
        try {
            ended = true;
            pushing = false;
            wake();
            if (notifications != null) notifications.close();
            notifications = null;
            deselect();
            if (store != null) {
                store.close();
                server.loggedOut(account);
            }
            store = null;
        } finally {
            busy.unlock();
        }
    }

    /** The capabilities to announce now (RFC 9051 section 7.2.2): they depend on TLS and the state. */
    List<String> capabilities() {
        return Capabilities.of(this);
    }
}
