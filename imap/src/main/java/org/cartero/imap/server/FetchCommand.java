package org.cartero.imap.server;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Content;
import org.cartero.imap.protocol.FetchAttribute;
import org.cartero.imap.protocol.FetchItem;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.Section;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.FlagOperation;
import org.cartero.store.FlagResult;
import org.cartero.store.Flags;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageGoneException;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;

/**
 * FETCH and UID FETCH (RFC 9051 section 6.4.5), with BINARY (RFC 3516) and CHANGEDSINCE,
 * VANISHED and MODSEQ (RFC 7162). Metadata comes from the index in chunks; a message is opened
 * only when a body item or its structure is asked, and bodies are streamed from the store's
 * part offsets into the response.
 */
final class FetchCommand {

    private FetchCommand() {
    }

    /** What a FETCH needs: the envelope from the index, the message itself, whether \Seen gets set. */
    private record Needs(boolean envelope, boolean content, boolean setsSeen) {

        static Needs of(List<FetchAttribute> attributes) {
            boolean envelope = false;
            boolean content = false;
            boolean setsSeen = false;
            for (FetchAttribute attribute : attributes) {
                switch (attribute) {
                    case FetchAttribute.Simple s -> {
                        switch (s) {
                            case ENVELOPE -> envelope = true;
                            case BODY, BODYSTRUCTURE, RFC822_HEADER -> content = true;
                            case RFC822, RFC822_TEXT -> {
                                content = true;
                                setsSeen = true;
                            }
                            default -> {
                            }
                        }
                    }
                    case FetchAttribute.BodySection b -> {
                        content = true;
                        setsSeen |= !b.peek();
                    }
                    case FetchAttribute.Binary b -> {
                        content = true;
                        setsSeen |= !b.peek();
                    }
                    case FetchAttribute.BinarySize b -> content = true;
                }
            }
            return new Needs(envelope, content, setsSeen);
        }
    }

    static StatusResponse fetch(Session session, String tag, Command.Fetch command) throws IOException, ImapException {
        SelectedMailbox mailbox = session.selected();
        if (command.changedSince().isPresent() || command.attributes().contains(FetchAttribute.Simple.MODSEQ)) {
            session.enableCondStore();
        }
        if (command.vanished() && !session.qresync()) {
            throw ImapException.bad("VANISHED needs QRESYNC to be enabled (RFC 7162 section 3.2.6)");
        }
        UidSet uids = mailbox.resolve(command.set(), command.uid());
        Needs needs = Needs.of(command.attributes());
        Map<Long, FlagResult.Update> seen = needs.setsSeen && !mailbox.readOnly ? markSeen(mailbox, uids) : Map.of();
        if (command.vanished()) {
            SelectCommand.sendChanges(session, mailbox, command.changedSince().getAsLong(), uids, false);
        }
        long changedSince = command.changedSince().orElse(-1);
        List<ImapException> refusals = new ArrayList<>();
        mailbox.folder.messages(uids, needs.envelope, message -> {
            if (message.modseq() <= changedSince) return;
            int sequenceNumber = mailbox.sequenceNumber(message.uid());
            if (sequenceNumber == 0 || mailbox.isExpunged(message.uid())) return;
            FlagResult.Update update = seen.get(message.uid());
            MessageInfo current = update == null ? message
                    : new MessageInfo(message.uid(), update.modseq(), update.flags(), message.internalDate(), message.size(),
                    message.envelope());
            try {
                List<FetchItem> items = items(session, mailbox, command, current, needs, update != null);
                if (items != null) session.sendStreamed(new Response.Fetch(sequenceNumber, items));
            } catch (ImapException e) {
                refusals.add(e);
            }
        });
        for (FlagResult.Update update : seen.values()) mailbox.reportedFlags(update.uid(), update.modseq());
        if (!refusals.isEmpty()) throw refusals.getFirst();
        return StatusResponse.ok(tag, "FETCH completed");
    }

    /**
     * Sets \Seen on the messages a FETCH of body content reads (RFC 9051 section 6.4.5), before
     * they are sent; returns the messages whose flags this changed.
     */
    private static Map<Long, FlagResult.Update> markSeen(SelectedMailbox mailbox, UidSet uids) throws IOException {
        FlagResult result = mailbox.folder.store(uids, FlagOperation.ADD, Flags.of(Flags.SEEN), -1);
        mailbox.checkNow();
        Map<Long, FlagResult.Update> changed = new HashMap<>();
        for (FlagResult.Update update : result.updated()) {
            if (update.changed()) changed.put(update.uid(), update);
        }
        return changed;
    }

    /**
     * The items of one message's FETCH response, in the order asked (UID first for UID FETCH,
     * and FLAGS when this FETCH set \Seen, RFC 9051 section 6.4.5); null when the message is gone.
     */
    private static List<FetchItem> items(Session session, SelectedMailbox mailbox, Command.Fetch command, MessageInfo message,
                                         Needs needs, boolean seenChanged) throws IOException, ImapException {
        MessageContent content = null;
        if (needs.content) {
            try {
                content = mailbox.folder.content(message.uid());
            } catch (MessageGoneException e) {
                return null;
            }
        }
        List<FetchItem> items = new ArrayList<>(command.attributes().size() + 2);
        boolean uid = command.uid();
        boolean flags = seenChanged;
        boolean modSeq = seenChanged && session.condStore() || command.changedSince().isPresent();
        for (FetchAttribute attribute : command.attributes()) {
            switch (attribute) {
                case FetchAttribute.Simple s -> {
                    switch (s) {
                        case UID -> uid = true;
                        case FLAGS -> flags = true;
                        case MODSEQ -> modSeq = true;
                        case INTERNALDATE -> items.add(new FetchItem.InternalDate(OffsetDateTime.ofInstant(message.internalDate(), ZoneOffset.UTC)));
                        case RFC822_SIZE -> items.add(new FetchItem.Rfc822Size(message.size()));
                        case ENVELOPE -> items.add(new FetchItem.EnvelopeItem(Structures.envelope(message.envelope())));
                        case BODY -> items.add(new FetchItem.Structure(Structures.body(content.structure()), false));
                        case BODYSTRUCTURE -> items.add(new FetchItem.Structure(Structures.body(content.structure()), true));
                        case RFC822 -> items.add(new FetchItem.Rfc822(FetchItem.Rfc822Part.WHOLE, Sections.rfc822(content, null)));
                        case RFC822_HEADER -> items.add(new FetchItem.Rfc822(FetchItem.Rfc822Part.HEADER,
                                Sections.rfc822(content, Section.Text.HEADER)));
                        case RFC822_TEXT -> items.add(new FetchItem.Rfc822(FetchItem.Rfc822Part.TEXT,
                                Sections.rfc822(content, Section.Text.TEXT)));
                    }
                }
                case FetchAttribute.BodySection b -> items.add(new FetchItem.BodySection(b.section(), origin(b.partial()),
                        Sections.body(content, b.section(), b.partial())));
                case FetchAttribute.Binary b -> items.add(new FetchItem.Binary(b.part(), origin(b.partial()),
                        BinaryContent.of(content, b.part(), b.partial())));
                case FetchAttribute.BinarySize b -> items.add(new FetchItem.BinarySize(b.part(), BinaryContent.size(content, b.part())));
            }
        }
        // UID, FLAGS and MODSEQ lead, in that order, whatever order they were asked in
        List<FetchItem> leading = new ArrayList<>(3);
        if (uid) leading.add(new FetchItem.Uid(message.uid()));
        if (flags) leading.add(new FetchItem.Flags(mailbox.flagNames(session, message.uid(), message.flags())));
        if (modSeq) leading.add(new FetchItem.ModSeq(message.modseq()));
        items.addAll(0, leading);
        return items;
    }

    private static OptionalLong origin(FetchAttribute.Partial partial) {
        return partial == null ? OptionalLong.empty() : OptionalLong.of(partial.offset());
    }

}
