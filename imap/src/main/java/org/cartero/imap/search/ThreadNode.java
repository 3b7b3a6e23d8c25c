package org.cartero.imap.search;

import java.util.List;

/**
 * One message of a THREAD response (RFC 5256 BASE.7.2.THREAD), with its replies. A node without a
 * message (sequence number 0) is a dummy parent that the REFERENCES algorithm keeps at the top
 * to group threads whose first message is missing; its children are written as parenthesised
 * threads of their own ("((2)(3))").
 *
 * @param sequenceNumber the message's sequence number, 0 for a dummy
 * @param uid the message's UID, 0 for a dummy
 * @param children the replies, in order
 */
public record ThreadNode(int sequenceNumber, long uid, List<ThreadNode> children) {

    public ThreadNode {
        children = List.copyOf(children);
    }

    public boolean isDummy() {
        return sequenceNumber == 0;
    }
}
