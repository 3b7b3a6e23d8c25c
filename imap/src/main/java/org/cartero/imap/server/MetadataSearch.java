package org.cartero.imap.server;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.store.Flags;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidList;
import org.cartero.store.UidSet;

/**
 * A search engine for the keys the index answers alone: flags, sequence numbers and UIDs,
 * sizes, internal dates, MODSEQ, OLDER and YOUNGER, and their combinations. Keys on header
 * fields and text (and the sent date), SORT and THREAD are left to the full engine
 * ({@code org.cartero.imap.search}); asked for them, this one answers NO [CANNOT].
 */
public final class MetadataSearch implements SearchEngine {

    @Override
    public List<String> capabilities() {
        return List.of();
    }

    @Override
    public UidSet search(SearchScope scope, UidSet candidates, SearchKey key) throws IOException, SearchException {
        check(key);
        UidSet.Builder matches = new UidSet.Builder();
        Instant now = Instant.now();
        scope.folder().messages(candidates, false, message -> {
            if (matches(scope, key, message, now)) matches.add(message.uid());
        });
        return matches.build();
    }

    @Override
    public long[] sort(SearchScope scope, UidSet candidates, List<Command.SortCriterion> criteria, SearchKey key)
            throws SearchException {
        throw new SearchException(ResponseCode.CANNOT, "SORT is not available on this server");
    }

    @Override
    public List<Response.ThreadNode> thread(SearchScope scope, Command.ThreadAlgorithm algorithm, SearchKey key)
            throws SearchException {
        throw new SearchException(ResponseCode.CANNOT, "THREAD is not available on this server");
    }

    /** Refuses, before reading any message, a program with keys this engine cannot answer. */
    private static void check(SearchKey key) throws SearchException {
        switch (key) {
            case SearchKey.Text t -> throw cannot(t.field().name());
            case SearchKey.Header h -> throw cannot("HEADER");
            case SearchKey.Date d when d.field() == SearchKey.DateField.SENT -> throw cannot("SENT" + d.comparison());
            case SearchKey.Not n -> check(n.key());
            case SearchKey.Or o -> {
                check(o.left());
                check(o.right());
            }
            case SearchKey.And a -> {
                for (SearchKey k : a.keys()) check(k);
            }
            default -> {
            }
        }
    }

    private static SearchException cannot(String key) {
        return new SearchException(ResponseCode.CANNOT, "Searching by " + key + " is not available on this server");
    }

    private static boolean matches(SearchScope scope, SearchKey key, MessageInfo m, Instant now) {
        return switch (key) {
            case SearchKey.All a -> true;
            case SearchKey.Flag f -> hasFlag(scope, m, f.flag()) == f.set();
            case SearchKey.Size s -> s.larger() ? m.size() > s.octets() : m.size() < s.octets();
            case SearchKey.Date d -> compare(LocalDate.ofInstant(m.internalDate(), ZoneOffset.UTC), d);
            case SearchKey.Messages s -> inSet(scope, s, m.uid());
            case SearchKey.ModSeq s -> m.modseq() >= s.modSeq();
            // RFC 5032: OLDER n is an internal date more than n seconds ago, YOUNGER at most n
            case SearchKey.Age a -> a.older() == m.internalDate().isBefore(now.minusSeconds(a.seconds()));
            case SearchKey.Not n -> !matches(scope, n.key(), m, now);
            case SearchKey.Or o -> matches(scope, o.left(), m, now) || matches(scope, o.right(), m, now);
            case SearchKey.And a -> a.keys().stream().allMatch(k -> matches(scope, k, m, now));
            case SearchKey.Text t -> false;
            case SearchKey.Header h -> false;
        };
    }

    private static boolean hasFlag(SearchScope scope, MessageInfo m, String flag) {
        if (flag.equalsIgnoreCase("\\Recent")) return scope.isRecent(m.uid());
        if (!flag.startsWith("\\")) return m.flags().hasKeyword(flag);
        try {
            return m.flags().has(Flags.systemBit(flag));
        } catch (IllegalArgumentException e) {
            return false; // a system flag no message can have
        }
    }

    private static boolean compare(LocalDate date, SearchKey.Date key) {
        return switch (key.comparison()) {
            case BEFORE -> date.isBefore(key.date());
            case ON -> date.equals(key.date());
            case SINCE -> !date.isBefore(key.date());
        };
    }

    private static boolean inSet(SearchScope scope, SearchKey.Messages key, long uid) {
        SequenceSet set = key.set();
        if (set.savedResult()) return scope.savedResult().contains(uid);
        UidList messages = scope.messages();
        if (key.uid()) return set.contains(uid, messages.lastUid());
        int sequenceNumber = messages.seqOf(uid);
        return sequenceNumber > 0 && set.contains(sequenceNumber, messages.size());
    }
}
