package org.cartero.imap.protocol;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A parsed IMAP command: IMAP4rev2 (RFC 9051), IMAP4rev1 (RFC 3501) and the extensions Cartero
 * implements. Mailbox names are decoded (from modified UTF-7 or UTF-8) and "INBOX" is upper case;
 * the UID variants carry {@code uid = true}.
 */
public sealed interface Command {

    // ---- any state (RFC 9051 section 6.1) ----

    record Capability() implements Command {
    }

    record Noop() implements Command {
    }

    record Logout() implements Command {
    }

    /** ID (RFC 2971): the client's fields; empty for "ID NIL". */
    record Id(List<IdField> fields) implements Command {
        public Id {
            fields = List.copyOf(fields);
        }
    }

    /** One ID field; {@code value} is null for NIL. */
    record IdField(String name, String value) {
    }

    // ---- not authenticated (RFC 9051 section 6.2) ----

    record StartTls() implements Command {
    }

    /**
     * AUTHENTICATE mechanism, with the SASL-IR initial response (RFC 4959) decoded from BASE64:
     * null when none was given, empty for "=".
     */
    record Authenticate(String mechanism, byte[] initialResponse) implements Command {
    }

    record Login(String user, String password) implements Command {
    }

    // ---- authenticated (RFC 9051 section 6.3) ----

    /** ENABLE (RFC 5161), capability names as the client wrote them. */
    record Enable(List<String> capabilities) implements Command {
        public Enable {
            capabilities = List.copyOf(capabilities);
        }
    }

    /**
     * SELECT, or EXAMINE ({@code readOnly}), with the CONDSTORE parameter and the QRESYNC
     * parameters (RFC 7162), null when not given.
     */
    record Select(String mailbox, boolean readOnly, boolean condStore, QResync qresync) implements Command {
    }

    /**
     * The QRESYNC select parameter: the last known UIDVALIDITY and mod-sequence, the known UIDs
     * (null if not given), and the message sequence match data (both null if not given).
     */
    record QResync(long uidValidity, long modSeq, SequenceSet knownUids,
                   SequenceSet knownSequenceNumbers, SequenceSet knownSequenceUids) {
    }

    /** CREATE, with the special-use attributes of the USE parameter (RFC 6154 section 3). */
    record Create(String mailbox, List<String> specialUse) implements Command {
        public Create {
            specialUse = List.copyOf(specialUse);
        }
    }

    record Delete(String mailbox) implements Command {
    }

    record Rename(String from, String to) implements Command {
    }

    record Subscribe(String mailbox) implements Command {
    }

    record Unsubscribe(String mailbox) implements Command {
    }

    /**
     * LIST, with the selection and return options of LIST-EXTENDED (RFC 5258), SPECIAL-USE
     * (RFC 6154) and LIST-STATUS (RFC 5819). {@code extended} is true when the client used the
     * extended syntax (options or a parenthesised list of patterns).
     *
     * @param statusItems the items of RETURN (STATUS (...)); empty when not asked
     */
    record ListMailboxes(String reference, List<String> patterns, Set<ListSelection> selection,
                         Set<ListReturn> returns, List<StatusItem> statusItems, boolean extended)
            implements Command {
        public ListMailboxes {
            patterns = List.copyOf(patterns);
            selection = Set.copyOf(selection);
            returns = Set.copyOf(returns);
            statusItems = List.copyOf(statusItems);
        }
    }

    /** LIST selection options (RFC 5258 section 3, RFC 6154). */
    enum ListSelection { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

    /** LIST return options (RFC 5258 section 3, RFC 6154, RFC 5819); STATUS has its items apart. */
    enum ListReturn { SUBSCRIBED, CHILDREN, SPECIAL_USE, STATUS }

    /** LSUB (IMAP4rev1). */
    record Lsub(String reference, String pattern) implements Command {
    }

    record Namespace() implements Command {
    }

    record Status(String mailbox, List<StatusItem> items) implements Command {
        public Status {
            items = List.copyOf(items);
        }
    }

    /**
     * APPEND: the messages (more than one with MULTIAPPEND, RFC 3502) are read from the
     * connection as the session takes them from {@code messages}, their contents streamed.
     */
    record Append(String mailbox, AppendReader messages) implements Command {
    }

    /** IDLE (RFC 2177): the session then waits for {@link CommandReader#readIdleDone()}. */
    record Idle() implements Command {
    }

    /** GETQUOTA (RFC 9208). */
    record GetQuota(String root) implements Command {
    }

    /** GETQUOTAROOT (RFC 9208). */
    record GetQuotaRoot(String mailbox) implements Command {
    }

    /** SETQUOTA (RFC 9208): resource limits of a quota root. */
    record SetQuota(String root, List<QuotaLimit> limits) implements Command {
        public SetQuota {
            limits = List.copyOf(limits);
        }
    }

    /** A resource (STORAGE in KiB, MESSAGE, MAILBOX, ...) and its limit. */
    record QuotaLimit(String resource, long limit) {
    }

    /** COMPRESS (RFC 4978) with the algorithm's name in upper case. */
    record Compress(String algorithm) implements Command {
    }

    /** NOTIFY SET (RFC 5465), or NOTIFY NONE when {@code groups} is empty. */
    record Notify(boolean sendStatus, List<NotifyGroup> groups) implements Command {
        public Notify {
            groups = List.copyOf(groups);
        }
    }

    /** The mailboxes a NOTIFY event group applies to, and its events (empty for NONE). */
    record NotifyGroup(NotifyFilter filter, List<String> mailboxes, List<NotifyEvent> events) {
        public NotifyGroup {
            mailboxes = List.copyOf(mailboxes);
            events = List.copyOf(events);
        }
    }

    /** RFC 5465: which mailboxes; SUBTREE and MAILBOXES name them. */
    enum NotifyFilter { SELECTED, SELECTED_DELAYED, INBOXES, PERSONAL, SUBSCRIBED, SUBTREE, MAILBOXES }

    /** An event, with the FETCH attributes of MessageNew (RFC 5465.2). */
    record NotifyEvent(NotifyEventType type, List<FetchAttribute> fetchAttributes) {
        public NotifyEvent {
            fetchAttributes = List.copyOf(fetchAttributes);
        }
    }

    /** RFC 5465; OTHER is an event this grammar does not know (answered NO [BADEVENT]). */
    enum NotifyEventType {
        MESSAGE_NEW("MessageNew"), MESSAGE_EXPUNGE("MessageExpunge"), FLAG_CHANGE("FlagChange"),
        ANNOTATION_CHANGE("AnnotationChange"), MAILBOX_NAME("MailboxName"),
        SUBSCRIPTION_CHANGE("SubscriptionChange"), MAILBOX_METADATA_CHANGE("MailboxMetadataChange"),
        SERVER_METADATA_CHANGE("ServerMetadataChange"), OTHER("");

        private final String atom;

        NotifyEventType(String atom) {
            this.atom = atom;
        }

        public String atom() {
            return atom;
        }
    }

    /** GENURLAUTH (RFC 4467): URLs to authorize, each with its mechanism. */
    record GenUrlAuth(List<UrlAuthRequest> requests) implements Command {
        public GenUrlAuth {
            requests = List.copyOf(requests);
        }
    }

    /** A URL rump and an authorization mechanism ("INTERNAL"). */
    record UrlAuthRequest(String urlRump, String mechanism) {
    }

    /** RESETKEY (RFC 4467): all keys when {@code mailbox} is null, else those of the mechanisms. */
    record ResetKey(String mailbox, List<String> mechanisms) implements Command {
        public ResetKey {
            mechanisms = List.copyOf(mechanisms);
        }
    }

    /** URLFETCH (RFC 4467, with the parameters of RFC 5524). */
    record UrlFetch(List<UrlFetchRequest> requests) implements Command {
        public UrlFetch {
            requests = List.copyOf(requests);
        }
    }

    /**
     * One URL to fetch; {@code extended} when given as "(url params...)" (RFC 5524), which
     * asks for the extended response form.
     */
    record UrlFetchRequest(String url, boolean extended, Set<UrlFetchParam> params) {
        public UrlFetchRequest {
            params = Set.copyOf(params);
        }
    }

    enum UrlFetchParam { BODYPARTSTRUCTURE, BINARY, BODY }

    // ---- selected (RFC 9051 section 6.4) ----

    /** CHECK (IMAP4rev1). */
    record Check() implements Command {
    }

    record Close() implements Command {
    }

    /** UNSELECT (RFC 3691). */
    record Unselect() implements Command {
    }

    /** EXPUNGE, or UID EXPUNGE (RFC 4315) of the UIDs in {@code uids} (null for EXPUNGE). */
    record Expunge(SequenceSet uids) implements Command {
    }

    /**
     * SEARCH: {@code returnOptions} null for the classic SEARCH response, else the ESEARCH
     * options. The search key is the AND of the keys given.
     */
    record Search(boolean uid, SearchReturn returnOptions, SearchKey key) implements Command {
    }

    /**
     * FETCH, with the CHANGEDSINCE and VANISHED modifiers (RFC 7162).
     */
    record Fetch(boolean uid, SequenceSet set, List<FetchAttribute> attributes,
                 OptionalLong changedSince, boolean vanished) implements Command {
        public Fetch {
            attributes = List.copyOf(attributes);
        }
    }

    /** STORE, with the UNCHANGEDSINCE modifier (RFC 7162). */
    record Store(boolean uid, SequenceSet set, OptionalLong unchangedSince, StoreMode mode,
                 boolean silent, List<String> flags) implements Command {
        public Store {
            flags = List.copyOf(flags);
        }
    }

    /** FLAGS, +FLAGS, -FLAGS. */
    enum StoreMode { REPLACE, ADD, REMOVE }

    record Copy(boolean uid, SequenceSet set, String mailbox) implements Command {
    }

    /** MOVE (RFC 6851). */
    record Move(boolean uid, SequenceSet set, String mailbox) implements Command {
    }

    /** SORT (RFC 5256), with the ESORT RETURN options (RFC 5267), null when not given. */
    record Sort(boolean uid, SearchReturn returnOptions, List<SortCriterion> criteria, SearchKey key)
            implements Command {
        public Sort {
            criteria = List.copyOf(criteria);
        }
    }

    record SortCriterion(SortKey key, boolean reverse) {
    }

    /** RFC 5256 section 3, DISPLAYFROM and DISPLAYTO of RFC 5957. */
    enum SortKey { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO }

    /** THREAD (RFC 5256). */
    record Thread(boolean uid, ThreadAlgorithm algorithm, SearchKey key) implements Command {
    }

    enum ThreadAlgorithm { ORDEREDSUBJECT, REFERENCES }

    /** CANCELUPDATE (RFC 5267): the tags of UPDATE searches to stop. */
    record CancelUpdate(List<String> tags) implements Command {
        public CancelUpdate {
            tags = List.copyOf(tags);
        }
    }
}
