package org.cartero.imap.search;

import java.io.IOException;
import java.util.List;
import org.cartero.store.mime.Envelope;

/**
 * What THREAD knows of a message (RFC 5256 BASE.6.4.THREAD): its Message-ID, its references, its
 * base subject and its sent date.
 *
 * @param messageId the normalized Message-ID, null when the message has no valid one
 * @param references the References field's IDs; when it has none, the first ID of In-Reply-To
 * @param sentDate epoch milliseconds, the internal date when the Date field is missing or unreadable
 */
record ThreadInput(int sequenceNumber, long uid, String messageId, List<String> references, BaseSubject subject,
                   long sentDate) {

    static ThreadInput of(SearchableMessage message) throws IOException {
        Envelope envelope = message.envelope();
        List<String> references = MessageIds.all(envelope.references());
        if (references.isEmpty()) {
            String inReplyTo = MessageIds.first(envelope.inReplyTo());
            references = inReplyTo == null ? List.of() : List.of(inReplyTo);
        }
        return new ThreadInput(message.sequenceNumber(), message.uid(), MessageIds.first(envelope.messageId()),
                references, BaseSubject.of(envelope.subject()), MessageDates.sentDate(envelope, message.internalDate()));
    }
}
