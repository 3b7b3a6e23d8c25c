package org.cartero.imap.protocol;

import java.util.List;
import java.util.OptionalLong;

/**
 * A response the server sends: a {@link StatusResponse} or untagged data (RFC 9051 section 7 and
 * the extensions' responses). {@link ResponseWriter} puts them on the wire. Mailbox names are
 * given decoded; the writer encodes them as the session's mode asks (modified UTF-7 or UTF-8).
 */
public sealed interface Response permits StatusResponse, Response.Capability, Response.Enabled,
        Response.ListMailbox, Response.MailboxStatus, Response.Flags, Response.Exists, Response.Recent,
        Response.Expunge, Response.Vanished, Response.Search, Response.Sort, Response.Esearch,
        Response.Thread, Response.Quota, Response.QuotaRoot, Response.Namespace, Response.Id,
        Response.Fetch, Response.GenUrlAuth, Response.UrlFetch {

    /** CAPABILITY data. */
    record Capability(List<String> capabilities) implements Response {
        public Capability {
            capabilities = List.copyOf(capabilities);
        }
    }

    /** ENABLED (RFC 5161): the capabilities the ENABLE command turned on. */
    record Enabled(List<String> capabilities) implements Response {
        public Enabled {
            capabilities = List.copyOf(capabilities);
        }
    }

    /**
     * LIST, or LSUB ({@code lsub}), with the extended data of RFC 5258: CHILDINFO (the selection
     * criteria a child matched) and OLDNAME (RFC 9051, after RENAME).
     *
     * @param delimiter the hierarchy delimiter, or null (NIL) for a flat name
     * @param childInfo the CHILDINFO values, or empty
     * @param oldName the OLDNAME, or null
     */
    record ListMailbox(boolean lsub, List<String> attributes, Character delimiter, String mailbox,
                       List<String> childInfo, String oldName) implements Response {
        public ListMailbox {
            attributes = List.copyOf(attributes);
            childInfo = List.copyOf(childInfo);
        }
    }

    /** STATUS data: the items in the given order. */
    record MailboxStatus(String mailbox, List<StatusValue> values) implements Response {
        public MailboxStatus {
            values = List.copyOf(values);
        }
    }

    /** A STATUS item's value; null (NIL) only for APPENDLIMIT without a limit (RFC 7889). */
    record StatusValue(StatusItem item, Long value) {
    }

    /** FLAGS: the flags defined in the mailbox. */
    record Flags(List<String> flags) implements Response {
        public Flags {
            flags = List.copyOf(flags);
        }
    }

    record Exists(long count) implements Response {
    }

    /** RECENT (IMAP4rev1 only). */
    record Recent(long count) implements Response {
    }

    record Expunge(long sequenceNumber) implements Response {
    }

    /** VANISHED (RFC 7162 section 3.2.10): expunged UIDs, (EARLIER) when not just now. */
    record Vanished(boolean earlier, SequenceSet uids) implements Response {
    }

    /** SEARCH (IMAP4rev1), with the highest MODSEQ of the matches when asked (RFC 7162 3.1.5). */
    record Search(long[] numbers, OptionalLong modSeq) implements Response {
    }

    /** SORT (RFC 5256), with MODSEQ as SEARCH (RFC 7162 section 3.1.5). */
    record Sort(long[] numbers, OptionalLong modSeq) implements Response {
    }

    /**
     * ESEARCH (RFC 4731), also for ESORT and the CONTEXT updates (RFC 5267) and PARTIAL
     * (RFC 9394). Items that are null or empty are left out.
     *
     * @param tag the command's tag, the correlator; null for none
     * @param all the ALL result, or null
     * @param partial the PARTIAL result, or null
     * @param updates ADDTO and REMOVEFROM updates of an UPDATE search, in order
     */
    record Esearch(String tag, boolean uid, OptionalLong min, OptionalLong max, SequenceSet all,
                   OptionalLong count, OptionalLong modSeq, PartialResult partial, List<ContextUpdate> updates)
            implements Response {
        public Esearch {
            updates = List.copyOf(updates);
        }

        /** An ESEARCH that reports nothing but its tag (and UID): no message matched. */
        public static Esearch empty(String tag, boolean uid) {
            return new Esearch(tag, uid, OptionalLong.empty(), OptionalLong.empty(), null,
                    OptionalLong.empty(), OptionalLong.empty(), null, List.of());
        }
    }

    /** PARTIAL (range set): the messages at the positions of the range; null set for none (NIL). */
    record PartialResult(SearchReturn.PartialRange range, SequenceSet set) {
    }

    /** ADDTO (add) or REMOVEFROM: messages entering or leaving an UPDATE search's results at a position. */
    record ContextUpdate(boolean add, long position, SequenceSet set) {
    }

    /** THREAD (RFC 5256): the threads' roots. */
    record Thread(List<ThreadNode> threads) implements Response {
        public Thread {
            threads = List.copyOf(threads);
        }
    }

    /** A message of a thread and its replies; {@code message} is 0 for a missing parent. */
    record ThreadNode(long message, List<ThreadNode> children) {
        public ThreadNode {
            children = List.copyOf(children);
        }
    }

    /** QUOTA (RFC 9208): a quota root's resources. */
    record Quota(String root, List<QuotaResource> resources) implements Response {
        public Quota {
            resources = List.copyOf(resources);
        }
    }

    /** A resource's usage and limit (STORAGE in KiB). */
    record QuotaResource(String name, long usage, long limit) {
    }

    /** QUOTAROOT (RFC 9208): the quota roots of a mailbox. */
    record QuotaRoot(String mailbox, List<String> roots) implements Response {
        public QuotaRoot {
            roots = List.copyOf(roots);
        }
    }

    /** NAMESPACE (RFC 2342, RFC 9051): personal, other users' and shared; empty lists are NIL. */
    record Namespace(List<NamespaceEntry> personal, List<NamespaceEntry> otherUsers, List<NamespaceEntry> shared)
            implements Response {
        public Namespace {
            personal = List.copyOf(personal);
            otherUsers = List.copyOf(otherUsers);
            shared = List.copyOf(shared);
        }
    }

    /** A namespace's prefix and hierarchy delimiter (null for NIL). */
    record NamespaceEntry(String prefix, Character delimiter) {
    }

    /** ID (RFC 2971): the server's fields; empty for NIL. */
    record Id(List<Command.IdField> fields) implements Response {
        public Id {
            fields = List.copyOf(fields);
        }
    }

    /** FETCH: a message's data items. */
    record Fetch(long sequenceNumber, List<FetchItem> items) implements Response {
        public Fetch {
            items = List.copyOf(items);
        }
    }

    /** GENURLAUTH (RFC 4467): the authorized URLs, in the order asked. */
    record GenUrlAuth(List<String> urls) implements Response {
        public GenUrlAuth {
            urls = List.copyOf(urls);
        }
    }

    /**
     * URLFETCH data for one URL (RFC 4467): its content, NIL when the URL is not valid. With the
     * extended form (RFC 5524), {@code extended} is true and the items asked are given:
     * BODYPARTSTRUCTURE ({@code structure}), BINARY or BODY ({@code content}, {@code binary}).
     */
    record UrlFetch(String url, boolean extended, BodyStructure structure, Content content, boolean binary)
            implements Response {

        /** The plain form: the URL and its content. */
        public static UrlFetch plain(String url, Content content) {
            return new UrlFetch(url, false, null, content, false);
        }
    }
}
