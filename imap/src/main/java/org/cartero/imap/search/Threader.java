package org.cartero.imap.search;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The THREAD algorithms of RFC 5256 (BASE.6.4.THREAD): ORDEREDSUBJECT, and REFERENCES with its
 * steps 1 to 6. Messages are ordered by sent date, then by sequence
 * number. Trees are walked without recursion, so a reply chain thousands deep costs no stack.
 */
final class Threader {

    private static final Comparator<ThreadInput> BY_DATE =
            Comparator.comparingLong(ThreadInput::sentDate).thenComparingInt(ThreadInput::sequenceNumber);

    private Threader() {
    }

    /**
     * ORDEREDSUBJECT: the messages grouped by base subject, each group in date order as one
     * thread whose first message is the parent of all the others; threads ordered by the date
     * of their first message.
     */
    static List<ThreadNode> orderedSubject(List<ThreadInput> messages) {
        Map<String, List<ThreadInput>> bySubject = new LinkedHashMap<>();
        for (ThreadInput message : messages) {
            bySubject.computeIfAbsent(Casemap.asciiUpper(message.subject().text()), s -> new ArrayList<>()).add(message);
        }
        List<List<ThreadInput>> threads = new ArrayList<>(bySubject.values());
        threads.forEach(thread -> thread.sort(BY_DATE));
        threads.sort(Comparator.comparing(List::getFirst, BY_DATE));
        List<ThreadNode> roots = new ArrayList<>(threads.size());
        for (List<ThreadInput> thread : threads) {
            List<ThreadNode> replies = thread.subList(1, thread.size()).stream().map(m -> leaf(m)).toList();
            roots.add(new ThreadNode(thread.getFirst().sequenceNumber(), thread.getFirst().uid(), replies));
        }
        return roots;
    }

    private static ThreadNode leaf(ThreadInput message) {
        return new ThreadNode(message.sequenceNumber(), message.uid(), List.of());
    }

    /** A message, or a dummy standing for one that is referenced but not among those threaded. */
    private static final class Container {
        ThreadInput message;
        Container parent;
        List<Container> children = new ArrayList<>();
        boolean merged;

        boolean isDummy() {
            return message == null;
        }

        /** The message a container is ordered by: its own, or its first child's for a dummy. */
        ThreadInput representative() {
            Container c = this;
            while (c.isDummy() && !c.children.isEmpty()) c = c.children.getFirst();
            return c.message;
        }

        void addChild(Container child) {
            child.parent = this;
            children.add(child);
        }
    }

    private static final Comparator<Container> CONTAINERS_BY_DATE = Comparator.comparing(Container::representative, BY_DATE);

    /** REFERENCES. */
    static List<ThreadNode> references(List<ThreadInput> messages) {
        List<Container> roots = prune(link(messages));
        // (4) the top level by date; a dummy by its first child, once its children are in order
        for (Container root : roots) {
            if (root.isDummy()) root.children.sort(CONTAINERS_BY_DATE);
        }
        roots.sort(CONTAINERS_BY_DATE);
        roots = mergeBySubject(roots);
        // (6) every set of siblings by date, the deepest first
        for (Container c : postOrder(roots)) c.children.sort(CONTAINERS_BY_DATE);
        roots.sort(CONTAINERS_BY_DATE);
        return nodes(roots);
    }

    /** Steps (1) and (2): links messages to their references; returns the containers without parent. */
    private static List<Container> link(List<ThreadInput> messages) {
        Map<String, Container> byId = new HashMap<>();
        List<Container> all = new ArrayList<>();
        for (ThreadInput message : messages) {
            // (1A) a message without a valid Message-ID, or with one already taken, gets a unique one
            Container own = message.messageId() == null ? null : byId.get(message.messageId());
            if (own == null || !own.isDummy()) {
                own = new Container();
                all.add(own);
                if (message.messageId() != null) byId.putIfAbsent(message.messageId(), own);
            }
            own.message = message;
            // (1A) each reference the parent of the next, unless it has a parent or that would make a loop
            Container previous = null;
            for (String id : message.references()) {
                Container reference = byId.get(id);
                if (reference == null) {
                    reference = new Container();
                    all.add(reference);
                    byId.put(id, reference);
                }
                if (previous != null && reference.parent == null && !wouldLoop(previous, reference)) {
                    previous.addChild(reference);
                }
                previous = reference;
            }
            // (1B) the last reference is the parent: a different parent found before is dropped
            if (own.parent != null && own.parent != previous) {
                own.parent.children.remove(own);
                own.parent = null;
            }
            if (previous != null && own.parent == null && !wouldLoop(previous, own)) previous.addChild(own);
        }
        // (2) the root set
        List<Container> roots = new ArrayList<>();
        for (Container c : all) {
            if (c.parent == null) roots.add(c);
        }
        return roots;
    }

    /** Whether making {@code parent} the parent of {@code child} would make a loop: {@code child} is {@code parent} or above it. */
    private static boolean wouldLoop(Container parent, Container child) {
        for (Container c = parent; c != null; c = c.parent) {
            if (c == child) return true;
        }
        return false;
    }

    /**
     * Step (3): dummies without children go; a dummy's children take its place, except at the
     * top where a dummy with several children stays (their parent would be the root).
     */
    private static List<Container> prune(List<Container> roots) {
        for (Container c : postOrder(roots)) c.children = pruned(c, c.children, false);
        return pruned(null, roots, true);
    }

    private static List<Container> pruned(Container parent, List<Container> siblings, boolean top) {
        List<Container> kept = new ArrayList<>(siblings.size());
        for (Container c : siblings) {
            if (c.isDummy() && (c.children.isEmpty() || !top || c.children.size() == 1)) {
                for (Container child : c.children) child.parent = parent;
                kept.addAll(c.children);
            } else {
                kept.add(c);
            }
        }
        return kept;
    }

    /** Step (5): threads whose (base) subject is the same are gathered, replies under the original. */
    private static List<Container> mergeBySubject(List<Container> roots) {
        // (5B) one thread per subject: a dummy first, else one that is not a reply, else the first
        Map<String, Container> table = new HashMap<>();
        for (Container c : roots) {
            String subject = threadSubject(c);
            if (subject.isEmpty()) continue;
            Container known = table.get(subject);
            if (known == null || !known.isDummy() && (c.isDummy() || isReply(known) && !isReply(c))) {
                table.put(subject, c);
            }
        }
        // (5C) the others merged into it
        List<Container> added = new ArrayList<>();
        for (Container c : roots) {
            String subject = threadSubject(c);
            Container known = subject.isEmpty() ? null : table.get(subject);
            if (known == null || known == c) continue;
            c.merged = true;
            if (known.isDummy() && c.isDummy()) {
                for (Container child : c.children) known.addChild(child);
                c.children = new ArrayList<>();
            } else if (known.isDummy() || isReply(c) && !isReply(known)) {
                known.addChild(c);
            } else {
                Container dummy = new Container();
                known.merged = true;
                dummy.addChild(known);
                dummy.addChild(c);
                table.put(subject, dummy);
                added.add(dummy);
            }
        }
        List<Container> merged = new ArrayList<>();
        for (Container c : roots) {
            if (!c.merged) merged.add(c);
        }
        merged.addAll(added);
        return merged;
    }

    /** (5B i) The base subject of a thread: of its message, or of a dummy's first child; in i;ascii-casemap form. */
    private static String threadSubject(Container c) {
        ThreadInput message = c.representative();
        return message == null ? "" : Casemap.asciiUpper(message.subject().text());
    }

    private static boolean isReply(Container c) {
        return !c.isDummy() && c.message.subject().isReplyOrForward();
    }

    /** Every container under {@code roots}, each after all of its descendants. */
    private static List<Container> postOrder(List<Container> roots) {
        List<Container> order = new ArrayList<>();
        Deque<Container> stack = new ArrayDeque<>(roots);
        while (!stack.isEmpty()) {
            Container c = stack.pop();
            order.add(c);
            c.children.forEach(stack::push);
        }
        return order.reversed();
    }

    private static List<ThreadNode> nodes(List<Container> roots) {
        Map<Container, ThreadNode> nodes = new HashMap<>();
        for (Container c : postOrder(roots)) {
            List<ThreadNode> children = c.children.stream().map(nodes::get).toList();
            nodes.put(c, c.isDummy() ? new ThreadNode(0, 0, children)
                    : new ThreadNode(c.message.sequenceNumber(), c.message.uid(), children));
        }
        return roots.stream().map(nodes::get).toList();
    }
}
