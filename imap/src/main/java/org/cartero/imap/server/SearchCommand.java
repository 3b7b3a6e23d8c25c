package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.SearchKey;
import org.cartero.imap.protocol.SearchReturn;
import org.cartero.imap.protocol.SequenceSet;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.UidSet;

/**
 * SEARCH (RFC 9051 section 6.4.4), SORT and THREAD (RFC 5256) and CANCELUPDATE (RFC 5267): the
 * {@link SearchEngine} finds the messages, this class answers in the form the command asks
 * for: SEARCH or SORT, ESEARCH with MIN, MAX, ALL, COUNT (RFC 4731, ESORT of RFC 5267),
 * PARTIAL (RFC 9394), SAVE (RFC 5182), MODSEQ (RFC 7162 section 3.1.5), or a context that
 * UPDATE keeps current (RFC 5267 section 4.3).
 */
final class SearchCommand {

    /** IMAP4rev2 answers a SEARCH without RETURN as RETURN (ALL) would (RFC 9051 section 6.4.4). */
    private static final SearchReturn ALL = new SearchReturn(Set.of(SearchReturn.Option.ALL), null);

    private SearchCommand() {
    }

    static StatusResponse search(Session session, String tag, Command.Search command) throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        SearchReturn options = command.returnOptions() == null && session.imap4rev2() ? ALL : command.returnOptions();
        check(mailbox, tag, options);
        boolean modSeq = usesModSeq(session, command.key());
        UidSet matches;
        try {
            matches = session.server.search().search(mailbox, known(mailbox), command.key());
        } catch (SearchException e) {
            throw failed(mailbox, options, e);
        }
        long[] results = matches.toArray();
        answer(session, tag, command.uid(), options, results, false, modSeq);
        if (options != null && options.has(SearchReturn.Option.UPDATE)) {
            register(session, new SearchContexts.Context(tag, command.uid(), command.key(), null, results));
        }
        return StatusResponse.ok(tag, "SEARCH completed");
    }

    static StatusResponse sort(Session session, String tag, Command.Sort command) throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        SearchReturn options = command.returnOptions();
        check(mailbox, tag, options);
        boolean modSeq = usesModSeq(session, command.key());
        long[] results;
        try {
            results = session.server.search().sort(mailbox, known(mailbox), command.criteria(), command.key());
        } catch (SearchException e) {
            throw failed(mailbox, options, e);
        }
        answer(session, tag, command.uid(), options, results, true, modSeq);
        if (options != null && options.has(SearchReturn.Option.UPDATE)) {
            register(session, new SearchContexts.Context(tag, command.uid(), command.key(), command.criteria(), results));
        }
        return StatusResponse.ok(tag, "SORT completed");
    }

    static StatusResponse thread(Session session, String tag, Command.Thread command) throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        usesModSeq(session, command.key());
        List<Response.ThreadNode> threads;
        try {
            threads = session.server.search().thread(mailbox, command.algorithm(), command.key());
        } catch (SearchException e) {
            throw ImapException.no(e.code(), e.getMessage());
        }
        session.send(new Response.Thread(command.uid() ? threads : numbered(mailbox, threads)));
        return StatusResponse.ok(tag, "THREAD completed");
    }

    /** CANCELUPDATE (RFC 5267 section 4.3.5): no more updates for the searches of these tags. */
    static StatusResponse cancelUpdate(Session session, String tag, Command.CancelUpdate command) {
        session.selected().contexts().cancel(command.tags());
        return StatusResponse.ok(tag, "No further updates");
    }

    // ---- answering --------------------------------------------------------------------------

    /**
     * Sends the results: SEARCH or SORT without return options, else ESEARCH (or nothing, for
     * SAVE alone, RFC 5182 section 2.4), saving "$" on the way.
     *
     * @param results UIDs in the order of the command (mailbox order for SEARCH)
     */
    static void answer(Session session, String tag, boolean uid, SearchReturn options, long[] results, boolean sorted,
                       boolean modSeq) throws IOException {
        SelectedMailbox mailbox = session.selected();
        long[] numbers = uid ? results : sequenceNumbers(mailbox, results);
        if (options == null) {
            OptionalLong highest = modSeq ? highestModSeq(mailbox, results) : OptionalLong.empty();
            session.send(sorted ? new Response.Sort(numbers, highest) : new Response.Search(numbers, highest));
            return;
        }
        if (options.has(SearchReturn.Option.SAVE)) mailbox.saveResult(saved(options, results));
        Set<SearchReturn.Option> reported = EnumSet.of(SearchReturn.Option.MIN, SearchReturn.Option.MAX,
                SearchReturn.Option.ALL, SearchReturn.Option.COUNT);
        reported.retainAll(options.options());
        if (reported.isEmpty() && options.partial() == null && options.has(SearchReturn.Option.SAVE)) {
            return; // RFC 5182 section 2.4: SAVE alone sends no ESEARCH
        }
        boolean any = numbers.length > 0;
        OptionalLong min = any && options.has(SearchReturn.Option.MIN) ? OptionalLong.of(first(numbers, sorted)) : OptionalLong.empty();
        OptionalLong max = any && options.has(SearchReturn.Option.MAX) ? OptionalLong.of(last(numbers, sorted)) : OptionalLong.empty();
        SequenceSet all = any && options.has(SearchReturn.Option.ALL) ? SequenceSet.of(numbers) : null;
        OptionalLong count = options.has(SearchReturn.Option.COUNT) ? OptionalLong.of(numbers.length) : OptionalLong.empty();
        Response.PartialResult partial = options.partial() == null ? null : partial(options.partial(), numbers);
        OptionalLong highest = modSeq && any ? highestModSeq(mailbox, reportedMessages(options, results, sorted)) : OptionalLong.empty();
        session.send(new Response.Esearch(tag, uid, min, max, all, count, highest, partial, List.of()));
    }

    /**
     * The messages whose MODSEQ the ESEARCH reports (RFC 4731 section 3.2 with RFC 7162 section
     * 3.1.5): the MIN and MAX ones when only those are asked, else every match.
     */
    private static long[] reportedMessages(SearchReturn options, long[] uids, boolean sorted) {
        if (options.has(SearchReturn.Option.ALL) || options.has(SearchReturn.Option.COUNT) || options.partial() != null
                || !(options.has(SearchReturn.Option.MIN) || options.has(SearchReturn.Option.MAX))) {
            return uids;
        }
        List<Long> reported = new ArrayList<>(2);
        if (options.has(SearchReturn.Option.MIN)) reported.add(first(uids, sorted));
        if (options.has(SearchReturn.Option.MAX)) reported.add(last(uids, sorted));
        return reported.stream().mapToLong(Long::longValue).toArray();
    }

    /** MIN and MAX: the lowest and highest number, or for ESORT the first and last in order (RFC 5267 3.1). */
    private static long first(long[] numbers, boolean sorted) {
        return sorted ? numbers[0] : Arrays.stream(numbers).min().orElseThrow();
    }

    private static long last(long[] numbers, boolean sorted) {
        return sorted ? numbers[numbers.length - 1] : Arrays.stream(numbers).max().orElseThrow();
    }

    /**
     * RFC 5182 section 2.4: with MIN or MAX (and neither ALL nor COUNT) only those messages are
     * saved, otherwise every match.
     */
    private static UidSet saved(SearchReturn options, long[] uids) {
        if (uids.length == 0) return UidSet.EMPTY;
        boolean minOrMax = options.has(SearchReturn.Option.MIN) || options.has(SearchReturn.Option.MAX);
        boolean allOrCount = options.has(SearchReturn.Option.ALL) || options.has(SearchReturn.Option.COUNT);
        if (!minOrMax || allOrCount) return UidSet.of(uids);
        List<Long> kept = new ArrayList<>();
        if (options.has(SearchReturn.Option.MIN)) kept.add(Arrays.stream(uids).min().orElseThrow());
        if (options.has(SearchReturn.Option.MAX)) kept.add(Arrays.stream(uids).max().orElseThrow());
        return UidSet.of(kept.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * PARTIAL (RFC 9394, RFC 5267 section 4.4): the results at 1-based positions of the range,
     * or counted from the end when negative; NIL when there are none.
     */
    private static Response.PartialResult partial(SearchReturn.PartialRange range, long[] numbers) {
        long from;
        long to;
        if (range.first() > 0) {
            from = range.first() - 1;
            to = Math.min(range.last(), numbers.length);
        } else {
            from = Math.max(0, numbers.length + Math.min(range.first(), range.last()));
            to = numbers.length + Math.max(range.first(), range.last()) + 1;
        }
        if (from >= to || from >= numbers.length) return new Response.PartialResult(range, null);
        return new Response.PartialResult(range, SequenceSet.of(Arrays.copyOfRange(numbers, (int) from, (int) to)));
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * Refuses return options that do not go together: PARTIAL with ALL (RFC 5267 section 4.4),
     * UPDATE with a tag already updating (section 4.3).
     */
    private static void check(SelectedMailbox mailbox, String tag, SearchReturn options) throws ImapException {
        if (options == null) return;
        if (options.partial() != null && options.has(SearchReturn.Option.ALL)) {
            throw ImapException.bad("PARTIAL and ALL cannot be asked for together");
        }
        if (options.has(SearchReturn.Option.UPDATE) && mailbox.contexts().has(tag)) {
            throw ImapException.bad("Tag reuse: " + tag + " is already a search being updated");
        }
    }

    /** RFC 5182 section 2.1: a SEARCH ... RETURN (SAVE) that fails leaves "$" empty. */
    private static ImapException failed(SelectedMailbox mailbox, SearchReturn options, SearchException e) {
        if (options != null && options.has(SearchReturn.Option.SAVE)) mailbox.saveResult(UidSet.EMPTY);
        return ImapException.no(e.code(), e.getMessage());
    }

    private static void register(Session session, SearchContexts.Context context) throws IOException {
        if (!session.selected().contexts().add(context)) {
            // RFC 5267 section 4.3.1: the search is answered, but will not be updated
            session.send(StatusResponse.no(null, new ResponseCode.NoUpdate(context.tag()), "Too many updating searches"));
        }
    }

    /** Every message the client knows: the candidates of a search. */
    static UidSet known(SelectedMailbox mailbox) {
        return mailbox.size() == 0 ? UidSet.EMPTY : UidSet.range(1, mailbox.uids().lastUid());
    }

    static long[] sequenceNumbers(SelectedMailbox mailbox, long[] uids) {
        long[] numbers = new long[uids.length];
        for (int i = 0; i < uids.length; i++) numbers[i] = mailbox.sequenceNumber(uids[i]);
        return numbers;
    }

    private static List<Response.ThreadNode> numbered(SelectedMailbox mailbox, List<Response.ThreadNode> threads) {
        List<Response.ThreadNode> out = new ArrayList<>(threads.size());
        for (Response.ThreadNode node : threads) {
            long number = node.message() == 0 ? 0 : mailbox.sequenceNumber(node.message());
            out.add(new Response.ThreadNode(number, numbered(mailbox, node.children())));
        }
        return out;
    }

    /**
     * True when the program searches by MODSEQ (RFC 7162 section 3.1.5), which turns CONDSTORE
     * on and adds the highest MODSEQ of the matches to the answer.
     */
    private static boolean usesModSeq(Session session, SearchKey key) throws IOException {
        boolean uses = hasModSeq(key);
        if (uses) session.enableCondStore();
        return uses;
    }

    private static boolean hasModSeq(SearchKey key) {
        return switch (key) {
            case SearchKey.ModSeq m -> true;
            case SearchKey.Not n -> hasModSeq(n.key());
            case SearchKey.Or o -> hasModSeq(o.left()) || hasModSeq(o.right());
            case SearchKey.And a -> a.keys().stream().anyMatch(SearchCommand::hasModSeq);
            default -> false;
        };
    }

    private static OptionalLong highestModSeq(SelectedMailbox mailbox, long[] uids) throws IOException {
        long[] highest = {0};
        if (uids.length == 0) return OptionalLong.empty();
        mailbox.folder.messages(UidSet.of(uids), Set.of(), m -> highest[0] = Math.max(highest[0], m.modseq()));
        return highest[0] == 0 ? OptionalLong.empty() : OptionalLong.of(highest[0]);
    }
}
