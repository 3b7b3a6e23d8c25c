package org.cartero.imap.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
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
import org.cartero.store.Folder;
import org.cartero.store.MessageContent;
import org.cartero.store.MessageGoneException;
import org.cartero.store.MessageInfo;
import org.cartero.store.UidSet;

/**
 * FETCH and UID FETCH (RFC 9051 section 6.4.5), with BINARY (RFC 3516) and CHANGEDSINCE,
 * VANISHED and MODSEQ (RFC 7162). Metadata, envelopes and MIME trees come from the index in
 * chunks; a message is opened only when its content is asked: a whole one straight from its
 * file, parts through the store's part offsets, streamed into the response.
 */
final class FetchCommand {

    private FetchCommand() {
    }

    /**
     * What a FETCH needs: from the index, the envelope, the MIME tree (BODY, BODYSTRUCTURE) and
     * where the message lies (for a whole message, sent straight from its file); the message's
     * parts (any other section); and whether \Seen gets set.
     */
    private record Needs(Set<Folder.Include> include, boolean parts, boolean setsSeen) {

        static Needs of(List<FetchAttribute> attributes) {
            EnumSet<Folder.Include> include = EnumSet.noneOf(Folder.Include.class);
            boolean parts = false;
            boolean setsSeen = false;
            for (FetchAttribute attribute : attributes) {
                switch (attribute) {
                    case FetchAttribute.Simple s -> {
                        switch (s) {
                            case ENVELOPE -> include.add(Folder.Include.ENVELOPE);
                            case BODY, BODYSTRUCTURE -> include.add(Folder.Include.STRUCTURE);
                            case RFC822_HEADER -> parts = true;
                            case RFC822 -> {
                                include.add(Folder.Include.LOCATION);
                                setsSeen = true;
                            }
                            case RFC822_TEXT -> {
                                parts = true;
                                setsSeen = true;
                            }
                            default -> {
                            }
                        }
                    }
                    case FetchAttribute.BodySection b -> {
                        if (isWholeMessage(b)) include.add(Folder.Include.LOCATION);
                        else parts = true;
                        setsSeen |= !b.peek();
                    }
                    case FetchAttribute.Binary b -> {
                        parts = true;
                        setsSeen |= !b.peek();
                    }
                    case FetchAttribute.BinarySize b -> parts = true;
                }
            }
            return new Needs(include, parts, setsSeen);
        }
    }

    /** BODY[] (or BODY.PEEK[]) without a partial range: the message as stored, read with no structure. */
    private static boolean isWholeMessage(FetchAttribute.BodySection b) {
        return b.partial() == null && b.section().part().isEmpty() && b.section().text() == null;
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
        mailbox.folder.messages(uids, needs.include, message -> {
            if (message.modseq() <= changedSince) return;
            int sequenceNumber = mailbox.sequenceNumber(message.uid());
            if (sequenceNumber == 0 || mailbox.isExpunged(message.uid())) return;
            FlagResult.Update update = seen.get(message.uid());
            MessageInfo current = update == null ? message
                    : new MessageInfo(message.uid(), update.modseq(), update.flags(), message.internalDate(), message.size(),
                    message.envelope(), message.structure(), message.location());
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
        if (needs.parts) {
            try {
                content = mailbox.folder.content(message.uid());
            } catch (MessageGoneException e) {
                return null;
            }
        }
        OpenedOnce opened = null;
        Content whole = null;
        if (needs.include.contains(Folder.Include.LOCATION)) {
            // opened now, so that a message expunged meanwhile is left out rather than cut off mid-response
            long messageUid = message.uid();
            try {
                opened = new OpenedOnce(mailbox.folder.openMessage(messageUid, message.location()),
                        () -> mailbox.folder.openMessage(messageUid));
            } catch (MessageGoneException e) {
                return null;
            }
            whole = new Content.Stream(message.size(), false, opened);
        }
        List<FetchItem> items = new ArrayList<>(command.attributes().size() + 2);
        boolean uid = command.uid();
        boolean flags = seenChanged;
        boolean modSeq = seenChanged && session.condStore() || command.changedSince().isPresent();
        try {
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
                            case BODY -> items.add(new FetchItem.Structure(Structures.body(message.structure()), false));
                            case BODYSTRUCTURE -> items.add(new FetchItem.Structure(Structures.body(message.structure()), true));
                            case RFC822 -> items.add(new FetchItem.Rfc822(FetchItem.Rfc822Part.WHOLE, whole));
                            case RFC822_HEADER -> items.add(new FetchItem.Rfc822(FetchItem.Rfc822Part.HEADER,
                                    Sections.rfc822(content, Section.Text.HEADER)));
                            case RFC822_TEXT -> items.add(new FetchItem.Rfc822(FetchItem.Rfc822Part.TEXT,
                                    Sections.rfc822(content, Section.Text.TEXT)));
                        }
                    }
                    case FetchAttribute.BodySection b -> items.add(new FetchItem.BodySection(b.section(), origin(b.partial()),
                            isWholeMessage(b) ? whole : Sections.body(content, b.section(), b.partial())));
                    case FetchAttribute.Binary b -> items.add(new FetchItem.Binary(b.part(), origin(b.partial()),
                            BinaryContent.of(content, b.part(), b.partial())));
                    case FetchAttribute.BinarySize b -> items.add(new FetchItem.BinarySize(b.part(), BinaryContent.size(content, b.part())));
                }
            }
        } catch (IOException | ImapException | RuntimeException e) {
            if (opened != null) opened.discard(); // the message opened above is not going to be sent
            throw e;
        }
        // UID, FLAGS and MODSEQ lead, in that order, whatever order they were asked in
        List<FetchItem> leading = new ArrayList<>(3);
        if (uid) leading.add(new FetchItem.Uid(message.uid()));
        if (flags) leading.add(new FetchItem.Flags(mailbox.flagNames(session, message.uid(), message.flags())));
        if (modSeq) leading.add(new FetchItem.ModSeq(message.modseq()));
        items.addAll(0, leading);
        return items;
    }

    /**
     * A message opened before its response was built. The response writer opens each content it
     * sends once and closes it; a whole message asked twice in one FETCH (RFC822 and BODY[]) is
     * opened again the second time.
     */
    private static final class OpenedOnce implements Content.Source {
        private InputStream opened;
        private final Content.Source again;

        OpenedOnce(InputStream opened, Content.Source again) {
            this.opened = opened;
            this.again = again;
        }

        @Override
        public InputStream open() throws IOException {
            InputStream stream = opened;
            opened = null;
            return stream != null ? stream : again.open();
        }

        void discard() throws IOException {
            if (opened != null) opened.close();
            opened = null;
        }
    }

    private static OptionalLong origin(FetchAttribute.Partial partial) {
        return partial == null ? OptionalLong.empty() : OptionalLong.of(partial.offset());
    }

}
