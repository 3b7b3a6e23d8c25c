package org.cartero.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses a command after its tag: the command name picks the parser; each parser takes the
 * command's arguments as its grammar says (RFC 9051 section 9 and the extensions' ABNF cited at
 * each) and returns the typed {@link Command}. The larger grammars have their own classes:
 * {@link SearchParser}, {@link FetchParser}, {@link ListParser}, {@link NotifyParser},
 * {@link AppendReader}.
 */
final class CommandParser {

    @FunctionalInterface
    private interface Parser {
        Command parse(Arguments a, boolean uid) throws ProtocolException, IOException;
    }

    private static final Map<String, Parser> PARSERS = Map.ofEntries(
            Map.entry("CAPABILITY", (a, uid) -> new Command.Capability()),
            Map.entry("NOOP", (a, uid) -> new Command.Noop()),
            Map.entry("LOGOUT", (a, uid) -> new Command.Logout()),
            Map.entry("ID", (a, uid) -> id(a)),
            Map.entry("STARTTLS", (a, uid) -> new Command.StartTls()),
            Map.entry("AUTHENTICATE", (a, uid) -> authenticate(a)),
            Map.entry("LOGIN", (a, uid) -> login(a)),
            Map.entry("ENABLE", (a, uid) -> enable(a)),
            Map.entry("SELECT", (a, uid) -> select(a, false)),
            Map.entry("EXAMINE", (a, uid) -> select(a, true)),
            Map.entry("CREATE", (a, uid) -> create(a)),
            Map.entry("DELETE", (a, uid) -> new Command.Delete(mailboxArgument(a))),
            Map.entry("RENAME", (a, uid) -> rename(a)),
            Map.entry("SUBSCRIBE", (a, uid) -> new Command.Subscribe(mailboxArgument(a))),
            Map.entry("UNSUBSCRIBE", (a, uid) -> new Command.Unsubscribe(mailboxArgument(a))),
            Map.entry("LIST", (a, uid) -> ListParser.list(a)),
            Map.entry("LSUB", (a, uid) -> ListParser.lsub(a)),
            Map.entry("NAMESPACE", (a, uid) -> new Command.Namespace()),
            Map.entry("STATUS", (a, uid) -> status(a)),
            Map.entry("APPEND", (a, uid) -> AppendReader.parse(a)),
            Map.entry("IDLE", (a, uid) -> new Command.Idle()),
            Map.entry("CHECK", (a, uid) -> new Command.Check()),
            Map.entry("CLOSE", (a, uid) -> new Command.Close()),
            Map.entry("UNSELECT", (a, uid) -> new Command.Unselect()),
            Map.entry("EXPUNGE", CommandParser::expunge),
            Map.entry("SEARCH", SearchParser::search),
            Map.entry("FETCH", FetchParser::fetch),
            Map.entry("STORE", CommandParser::store),
            Map.entry("COPY", (a, uid) -> new Command.Copy(uid, setArgument(a), mailboxArgument(a))),
            Map.entry("MOVE", (a, uid) -> new Command.Move(uid, setArgument(a), mailboxArgument(a))),
            Map.entry("SORT", SearchParser::sort),
            Map.entry("THREAD", SearchParser::thread),
            Map.entry("GETQUOTA", (a, uid) -> getQuota(a)),
            Map.entry("GETQUOTAROOT", (a, uid) -> new Command.GetQuotaRoot(mailboxArgument(a))),
            Map.entry("SETQUOTA", (a, uid) -> setQuota(a)),
            Map.entry("COMPRESS", (a, uid) -> compress(a)),
            Map.entry("NOTIFY", (a, uid) -> NotifyParser.notify(a)),
            Map.entry("GENURLAUTH", (a, uid) -> genUrlAuth(a)),
            Map.entry("RESETKEY", (a, uid) -> resetKey(a)),
            Map.entry("URLFETCH", (a, uid) -> urlFetch(a)),
            Map.entry("CANCELUPDATE", (a, uid) -> cancelUpdate(a)));

    /** The commands "UID" may prefix (RFC 9051 section 6.4.9, RFC 4315, RFC 6851, RFC 5256). */
    private static final Set<String> UID_COMMANDS =
            Set.of("FETCH", "STORE", "COPY", "MOVE", "SEARCH", "EXPUNGE", "SORT", "THREAD");

    private CommandParser() {
    }

    /** Parses the command name and arguments that follow the tag. */
    static Command parse(Arguments a) throws ProtocolException, IOException {
        if (!a.trySp()) throw a.bad("Expected a space and a command name after the tag");
        String name = a.keyword("a command name");
        boolean uid = name.equals("UID");
        if (uid) {
            a.sp();
            name = a.keyword("a command name after UID");
            if (!UID_COMMANDS.contains(name)) throw ProtocolException.bad("UID cannot be used with " + name);
        }
        Parser parser = PARSERS.get(name);
        if (parser == null) throw ProtocolException.bad("Unknown command " + name);
        Command command = parser.parse(a, uid);
        // APPEND's messages are read later, as the session takes them
        if (!(command instanceof Command.Append)) a.expectEnd();
        if (a.refusal() != null) throw a.refusal();
        return command;
    }

    /** SP mailbox. */
    private static String mailboxArgument(Arguments a) throws ProtocolException, IOException {
        a.sp();
        return a.mailbox();
    }

    /** SP sequence-set. */
    private static SequenceSet setArgument(Arguments a) throws ProtocolException {
        a.sp();
        return a.sequenceSet();
    }

    /** RFC 2971: "ID" SP ("(" [string SP nstring *(SP string SP nstring)] ")" / nil). */
    private static Command id(Arguments a) throws ProtocolException, IOException {
        a.sp();
        List<Command.IdField> fields = new ArrayList<>();
        if (a.tryKeyword("NIL")) return new Command.Id(fields);
        a.expect('(');
        if (a.tryChar(')')) return new Command.Id(fields);
        do {
            String name = a.string();
            a.sp();
            fields.add(new Command.IdField(name, a.nstring()));
        } while (a.trySp());
        a.expect(')');
        return new Command.Id(fields);
    }

    /** "AUTHENTICATE" SP auth-type [SP (base64 / "=")] (RFC 9051, SASL-IR of RFC 4959). */
    private static Command authenticate(Arguments a) throws ProtocolException {
        a.sp();
        String mechanism = a.keyword("a SASL mechanism");
        if (!a.trySp()) return new Command.Authenticate(mechanism, null);
        // RFC 4959 section 3: "=" is an empty initial response
        if (a.tryChar('=')) return new Command.Authenticate(mechanism, new byte[0]);
        String base64 = a.atom();
        try {
            return new Command.Authenticate(mechanism, Base64.getDecoder().decode(base64));
        } catch (IllegalArgumentException e) {
            throw ProtocolException.bad("Initial response is not BASE64: " + e.getMessage());
        }
    }

    private static Command login(Arguments a) throws ProtocolException, IOException {
        a.sp();
        String user = a.astring();
        a.sp();
        return new Command.Login(user, a.astring());
    }

    private static Command enable(Arguments a) throws ProtocolException {
        List<String> capabilities = new ArrayList<>();
        do {
            a.sp();
            capabilities.add(a.atom());
        } while (!a.atEnd());
        return new Command.Enable(capabilities);
    }

    /**
     * SELECT/EXAMINE mailbox [SP "(" select-param *(SP select-param) ")"], the parameters being
     * CONDSTORE and QRESYNC (RFC 7162):
     * "QRESYNC" SP "(" uidvalidity SP mod-sequence-value [SP known-uids] [SP seq-match-data] ")".
     */
    private static Command select(Arguments a, boolean readOnly) throws ProtocolException, IOException {
        String mailbox = mailboxArgument(a);
        boolean condStore = false;
        Command.QResync qresync = null;
        if (a.trySp()) {
            a.expect('(');
            do {
                String parameter = a.keyword("a SELECT parameter");
                switch (parameter) {
                    case "CONDSTORE" -> condStore = true;
                    case "QRESYNC" -> {
                        a.sp();
                        qresync = qresync(a);
                    }
                    default -> throw ProtocolException.bad("Unknown SELECT parameter " + parameter);
                }
            } while (a.trySp());
            a.expect(')');
        }
        return new Command.Select(mailbox, readOnly, condStore, qresync);
    }

    private static Command.QResync qresync(Arguments a) throws ProtocolException {
        a.expect('(');
        long uidValidity = a.nzNumber();
        a.sp();
        long modSeq = a.number64();
        SequenceSet knownUids = null;
        SequenceSet knownSequence = null;
        SequenceSet knownSequenceUids = null;
        if (a.trySp()) {
            if (a.peek() != '(') {
                knownUids = a.sequenceSet();
                if (!a.trySp()) {
                    a.expect(')');
                    return new Command.QResync(uidValidity, modSeq, knownUids, null, null);
                }
            }
            a.expect('(');
            knownSequence = a.sequenceSet();
            a.sp();
            knownSequenceUids = a.sequenceSet();
            a.expect(')');
        }
        a.expect(')');
        return new Command.QResync(uidValidity, modSeq, knownUids, knownSequence, knownSequenceUids);
    }

    /** CREATE mailbox [SP "(" "USE" SP "(" [use-attr *(SP use-attr)] ")" ")"] (RFC 6154 section 3). */
    private static Command create(Arguments a) throws ProtocolException, IOException {
        String mailbox = mailboxArgument(a);
        List<String> specialUse = new ArrayList<>();
        if (a.trySp()) {
            a.expect('(');
            do {
                String parameter = a.keyword("a CREATE parameter");
                if (!parameter.equals("USE")) throw ProtocolException.bad("Unknown CREATE parameter " + parameter);
                a.sp();
                specialUse.addAll(a.flagList());
            } while (a.trySp());
            a.expect(')');
        }
        return new Command.Create(mailbox, specialUse);
    }

    private static Command rename(Arguments a) throws ProtocolException, IOException {
        String from = mailboxArgument(a);
        return new Command.Rename(from, mailboxArgument(a));
    }

    /** STATUS mailbox SP "(" status-att *(SP status-att) ")". */
    private static Command status(Arguments a) throws ProtocolException, IOException {
        String mailbox = mailboxArgument(a);
        a.sp();
        return new Command.Status(mailbox, statusItems(a));
    }

    /** "(" status-att *(SP status-att) ")", shared with LIST RETURN (STATUS (...)). */
    static List<StatusItem> statusItems(Arguments a) throws ProtocolException {
        a.expect('(');
        List<StatusItem> items = new ArrayList<>();
        do {
            String name = a.keyword("a STATUS item");
            StatusItem item = StatusItem.of(name);
            if (item == null) throw ProtocolException.bad("Unknown STATUS item " + name);
            items.add(item);
        } while (a.trySp());
        a.expect(')');
        return items;
    }

    /** EXPUNGE, or UID EXPUNGE SP sequence-set (RFC 4315 section 2.1). */
    private static Command expunge(Arguments a, boolean uid) throws ProtocolException {
        return new Command.Expunge(uid ? setArgument(a) : null);
    }

    /**
     * STORE sequence-set [SP "(" "UNCHANGEDSINCE" SP mod-sequence-valzer ")"] SP
     * (["+" / "-"] "FLAGS" [".SILENT"]) SP (flag-list / (flag *(SP flag))) (RFC 7162 3.1.3).
     */
    private static Command store(Arguments a, boolean uid) throws ProtocolException {
        SequenceSet set = setArgument(a);
        a.sp();
        OptionalLong unchangedSince = OptionalLong.empty();
        if (a.tryChar('(')) {
            do {
                String modifier = a.keyword("a STORE modifier");
                if (!modifier.equals("UNCHANGEDSINCE")) throw ProtocolException.bad("Unknown STORE modifier " + modifier);
                a.sp();
                unchangedSince = OptionalLong.of(a.number64());
            } while (a.trySp());
            a.expect(')');
            a.sp();
        }
        String item = a.keyword("FLAGS, +FLAGS or -FLAGS");
        Command.StoreMode mode = switch (item.charAt(0)) {
            case '+' -> Command.StoreMode.ADD;
            case '-' -> Command.StoreMode.REMOVE;
            default -> Command.StoreMode.REPLACE;
        };
        String name = mode == Command.StoreMode.REPLACE ? item : item.substring(1);
        boolean silent = name.equals("FLAGS.SILENT");
        if (!silent && !name.equals("FLAGS")) throw ProtocolException.bad("Unknown STORE item " + item);
        a.sp();
        List<String> flags;
        if (a.peek() == '(') {
            flags = a.flagList();
        } else {
            flags = new ArrayList<>();
            do {
                flags.add(a.flag());
            } while (a.trySp());
        }
        return new Command.Store(uid, set, unchangedSince, mode, silent, flags);
    }

    private static Command getQuota(Arguments a) throws ProtocolException, IOException {
        a.sp();
        return new Command.GetQuota(a.astring());
    }

    /** RFC 9208: "SETQUOTA" SP quota-root SP "(" [resource-name SP number64 *(SP ...)] ")". */
    private static Command setQuota(Arguments a) throws ProtocolException, IOException {
        a.sp();
        String root = a.astring();
        a.sp();
        a.expect('(');
        List<Command.QuotaLimit> limits = new ArrayList<>();
        if (!a.tryChar(')')) {
            do {
                String resource = a.keyword("a quota resource");
                a.sp();
                limits.add(new Command.QuotaLimit(resource, a.number64()));
            } while (a.trySp());
            a.expect(')');
        }
        return new Command.SetQuota(root, limits);
    }

    private static Command compress(Arguments a) throws ProtocolException {
        a.sp();
        return new Command.Compress(a.keyword("a compression algorithm"));
    }

    /** RFC 4467: "GENURLAUTH" 1*(SP url-rump SP mechanism). */
    private static Command genUrlAuth(Arguments a) throws ProtocolException, IOException {
        List<Command.UrlAuthRequest> requests = new ArrayList<>();
        do {
            a.sp();
            String rump = a.astring();
            a.sp();
            requests.add(new Command.UrlAuthRequest(rump, a.keyword("a URLAUTH mechanism")));
        } while (!a.atEnd());
        return new Command.GenUrlAuth(requests);
    }

    /** RFC 4467: "RESETKEY" [SP mailbox *(SP mechanism)]. */
    private static Command resetKey(Arguments a) throws ProtocolException, IOException {
        if (a.atEnd()) return new Command.ResetKey(null, List.of());
        String mailbox = mailboxArgument(a);
        List<String> mechanisms = new ArrayList<>();
        while (a.trySp()) mechanisms.add(a.keyword("a URLAUTH mechanism"));
        return new Command.ResetKey(mailbox, mechanisms);
    }

    /**
     * RFC 4467 "URLFETCH" 1*(SP url), where RFC 5524 allows "(" url *(SP param) ")" with the
     * parameters BODYPARTSTRUCTURE, BINARY and BODY (not both of the last two).
     */
    private static Command urlFetch(Arguments a) throws ProtocolException, IOException {
        List<Command.UrlFetchRequest> requests = new ArrayList<>();
        do {
            a.sp();
            if (!a.tryChar('(')) {
                requests.add(new Command.UrlFetchRequest(a.astring(), false, Set.of()));
                continue;
            }
            String url = a.astring();
            Set<Command.UrlFetchParam> params = EnumSet.noneOf(Command.UrlFetchParam.class);
            while (a.trySp()) {
                String name = a.keyword("a URLFETCH parameter");
                try {
                    params.add(Command.UrlFetchParam.valueOf(name));
                } catch (IllegalArgumentException e) {
                    throw ProtocolException.bad("Unknown URLFETCH parameter " + name);
                }
            }
            if (params.contains(Command.UrlFetchParam.BINARY) && params.contains(Command.UrlFetchParam.BODY)) {
                throw ProtocolException.bad("URLFETCH cannot ask for both BINARY and BODY");
            }
            a.expect(')');
            requests.add(new Command.UrlFetchRequest(url, true, params));
        } while (!a.atEnd());
        return new Command.UrlFetch(requests);
    }

    /** RFC 5267: "CANCELUPDATE" 1*(SP quoted). */
    private static Command cancelUpdate(Arguments a) throws ProtocolException, IOException {
        List<String> tags = new ArrayList<>();
        do {
            a.sp();
            tags.add(a.string());
        } while (!a.atEnd());
        return new Command.CancelUpdate(tags);
    }
}
