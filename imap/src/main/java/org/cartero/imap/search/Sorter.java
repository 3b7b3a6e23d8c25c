package org.cartero.imap.search;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import org.cartero.imap.protocol.Command.SortCriterion;
import org.cartero.imap.protocol.Command.SortKey;

/**
 * SORT (RFC 5256 BASE.6.4.SORT, with DISPLAYFROM and DISPLAYTO of RFC 5957): messages ordered by
 * each criterion in turn, REVERSE reversing only its own criterion, and messages equal by every
 * criterion in ascending sequence order. Text keys compare with i;ascii-casemap.
 */
final class Sorter {

    private Sorter() {
    }

    /** Whether the criteria read the envelope: every key but ARRIVAL and SIZE. */
    static boolean needsEnvelope(List<SortCriterion> criteria) {
        return criteria.stream().anyMatch(c -> c.key() != SortKey.ARRIVAL && c.key() != SortKey.SIZE);
    }

    /** A message to sort, with its keys for each criterion in turn. */
    record Sortable(int sequenceNumber, long uid, Object[] keys) {
    }

    /** The keys of a message for the criteria; the message must have the data they need. */
    static Sortable sortable(List<SortCriterion> criteria, SearchableMessage message) throws IOException {
        Object[] keys = new Object[criteria.size()];
        for (int i = 0; i < keys.length; i++) keys[i] = key(criteria.get(i).key(), message);
        return new Sortable(message.sequenceNumber(), message.uid(), keys);
    }

    /** The messages in sort order. */
    static List<Sortable> sort(List<SortCriterion> criteria, List<Sortable> messages) {
        Comparator<Sortable> order = (a, b) -> 0;
        for (int i = 0; i < criteria.size(); i++) {
            int index = i;
            Comparator<Sortable> byKey = (a, b) -> compare(a.keys()[index], b.keys()[index]);
            order = order.thenComparing(criteria.get(i).reverse() ? byKey.reversed() : byKey);
        }
        return messages.stream().sorted(order.thenComparingInt(Sortable::sequenceNumber)).toList();
    }

    /** The sort key of one criterion (RFC 5256 BASE.6.4.SORT): a Long or a String. */
    private static Object key(SortKey key, SearchableMessage message) throws IOException {
        return switch (key) {
            case ARRIVAL -> message.internalDate().toEpochMilli();
            case SIZE -> message.size();
            case DATE -> MessageDates.sentDate(message.envelope(), message.internalDate());
            case SUBJECT -> BaseSubject.of(message.envelope().subject()).text();
            case FROM -> Addresses.firstMailbox(message.envelope().from());
            case TO -> Addresses.firstMailbox(message.envelope().to());
            case CC -> Addresses.firstMailbox(message.envelope().cc());
            case DISPLAYFROM -> Addresses.firstDisplayName(message.envelope().from());
            case DISPLAYTO -> Addresses.firstDisplayName(message.envelope().to());
        };
    }

    private static int compare(Object a, Object b) {
        if (a instanceof Long x && b instanceof Long y) return Long.compare(x, y);
        return Casemap.compareAscii((String) a, (String) b);
    }
}
