package org.cartero.imap.search;

import java.io.IOException;
import java.util.ArrayList;
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

    /** Whether the criteria read index data: ARRIVAL, SIZE, and DATE for its fallback to the internal date. */
    static boolean needsIndexData(List<SortCriterion> criteria) {
        return criteria.stream().anyMatch(c -> c.key() == SortKey.ARRIVAL || c.key() == SortKey.SIZE || c.key() == SortKey.DATE);
    }

    /** Whether the criteria read the envelope: every key but ARRIVAL and SIZE. */
    static boolean needsEnvelope(List<SortCriterion> criteria) {
        return criteria.stream().anyMatch(c -> c.key() != SortKey.ARRIVAL && c.key() != SortKey.SIZE);
    }

    /** The messages in sort order; the data the criteria need must have been given to them. */
    static <M extends SearchableMessage> List<M> sort(List<SortCriterion> criteria, List<M> messages) throws IOException {
        List<Keyed<M>> keyed = new ArrayList<>(messages.size());
        for (M message : messages) {
            Object[] keys = new Object[criteria.size()];
            for (int i = 0; i < keys.length; i++) keys[i] = key(criteria.get(i).key(), message);
            keyed.add(new Keyed<>(message, keys));
        }
        Comparator<Keyed<M>> order = (a, b) -> 0;
        for (int i = 0; i < criteria.size(); i++) {
            int index = i;
            Comparator<Keyed<M>> byKey = (a, b) -> compare(a.keys()[index], b.keys()[index]);
            order = order.thenComparing(criteria.get(i).reverse() ? byKey.reversed() : byKey);
        }
        order = order.thenComparingInt(k -> k.message().sequenceNumber());
        return keyed.stream().sorted(order).map(Keyed::message).toList();
    }

    private record Keyed<M>(M message, Object[] keys) {
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
