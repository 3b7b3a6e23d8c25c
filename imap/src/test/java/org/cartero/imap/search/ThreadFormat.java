package org.cartero.imap.search;

import java.util.List;

/** THREAD trees written as RFC 5256 writes them ("(3 6 (4 23)(44 7 96))"), for readable assertions. */
final class ThreadFormat {

    private ThreadFormat() {
    }

    static String of(List<ThreadNode> threads) {
        StringBuilder out = new StringBuilder();
        for (ThreadNode thread : threads) thread(thread, out);
        return out.toString();
    }

    private static void thread(ThreadNode node, StringBuilder out) {
        out.append('(');
        ThreadNode current = node;
        while (true) {
            if (!current.isDummy()) {
                if (current != node) out.append(' ');
                out.append(current.sequenceNumber());
            }
            if (current.children().size() == 1 && !current.isDummy()) {
                current = current.children().getFirst();
                continue;
            }
            if (!current.children().isEmpty() && !current.isDummy()) out.append(' ');
            for (ThreadNode child : current.children()) thread(child, out);
            break;
        }
        out.append(')');
    }
}
