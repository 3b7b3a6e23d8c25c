package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.FetchAttribute;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.StatusItem;
import org.cartero.store.Folder;
import org.cartero.store.FolderInfo;
import org.cartero.store.FolderName;
import org.cartero.store.FolderStatus;
import org.cartero.store.StoreException;
import org.cartero.store.UidSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a client asked to hear of with NOTIFY SET (RFC 5465), and the telling: for the selected
 * mailbox (SELECTED, SELECTED-DELAYED) its changes between commands, with a FETCH of the
 * attributes MessageNew names for each new message; for other mailboxes a STATUS when their
 * messages, UIDs or flags change (the store's watches say when); and LIST responses when
 * mailboxes appear, go or change their subscription (MailboxName, SubscriptionChange), which
 * are looked for whenever the session pushes, and every {@value #LIST_POLL_SECONDS} seconds.
 */
final class Notifications implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);

    /** The events this server can report (RFC 5465 section 5). */
    static final Set<Command.NotifyEventType> SUPPORTED = EnumSet.of(Command.NotifyEventType.MESSAGE_NEW,
            Command.NotifyEventType.MESSAGE_EXPUNGE, Command.NotifyEventType.FLAG_CHANGE,
            Command.NotifyEventType.MAILBOX_NAME, Command.NotifyEventType.SUBSCRIPTION_CHANGE);

    /**
     * How often the mailbox list and the subscriptions are compared with what the client was
     * told, for MailboxName and SubscriptionChange: the store has no watch over them.
     */
    static final int LIST_POLL_SECONDS = 2;

    /** A mailbox other than the selected one whose changes are reported with STATUS. */
    private static final class Watched {
        final Folder folder;
        final Folder.Watch watch;
        final List<StatusItem> items;
        FolderStatus last;

        Watched(Folder folder, Folder.Watch watch, List<StatusItem> items, FolderStatus last) {
            this.folder = folder;
            this.watch = watch;
            this.items = items;
            this.last = last;
        }
    }

    private final Session session;
    private final List<Command.NotifyGroup> groups;
    private final Command.NotifyGroup selectedGroup;
    private final Map<String, Watched> watched = new TreeMap<>();
    private final boolean mailboxNames;
    private final boolean subscriptions;
    private Map<String, Boolean> knownNames = Map.of();
    private List<String> knownSubscriptions = List.of();

    private Notifications(Session session, List<Command.NotifyGroup> groups) {
        this.session = session;
        this.groups = groups;
        Command.NotifyGroup selected = null;
        boolean names = false;
        boolean subscribed = false;
        for (Command.NotifyGroup group : groups) {
            if (group.filter() == Command.NotifyFilter.SELECTED || group.filter() == Command.NotifyFilter.SELECTED_DELAYED) {
                selected = group;
            }
            names |= has(group, Command.NotifyEventType.MAILBOX_NAME);
            subscribed |= has(group, Command.NotifyEventType.SUBSCRIPTION_CHANGE);
        }
        this.selectedGroup = selected;
        this.mailboxNames = names;
        this.subscriptions = subscribed;
    }

    /**
     * Starts what NOTIFY SET asks for; with STATUS, sends the current STATUS of each mailbox
     * watched (RFC 5465 section 3.1).
     */
    static Notifications start(Session session, Command.Notify command) throws IOException {
        Notifications notifications = new Notifications(session, command.groups());
        try {
            notifications.knownNames = notifications.names();
            notifications.knownSubscriptions = session.store().subscriptions();
            notifications.watchMailboxes(command.sendStatus());
        } catch (IOException | RuntimeException e) {
            notifications.close();
            throw e;
        }
        return notifications;
    }

    /** Whether the mailbox list or the subscriptions are to be looked at now and then. */
    boolean watchesMailboxList() {
        return mailboxNames || subscriptions;
    }

    /** Whether changes of the selected mailbox are to be pushed between commands. */
    boolean coversSelected() {
        return selectedGroup != null && !selectedGroup.events().isEmpty();
    }

    /** SELECTED sends EXPUNGE as soon as it happens; SELECTED-DELAYED waits for a command that allows it. */
    boolean expungesAnytime() {
        return selectedGroup != null && selectedGroup.filter() == Command.NotifyFilter.SELECTED;
    }

    /** MessageNew (fetch-att...) for the selected mailbox: a FETCH of those attributes for each new message. */
    void newMessages(UidSet arrived) throws IOException {
        if (arrived.isEmpty() || selectedGroup == null || session.selected() == null) return;
        for (Command.NotifyEvent event : selectedGroup.events()) {
            if (event.type() == Command.NotifyEventType.MESSAGE_NEW && !event.fetchAttributes().isEmpty()) {
                List<FetchAttribute> attributes = event.fetchAttributes();
                try {
                    FetchCommand.fetch(session, null, new Command.Fetch(true, UidSets.toSequenceSet(arrived), attributes,
                            java.util.OptionalLong.empty(), false));
                } catch (ImapException e) {
                    log.debug("{}: NOTIFY could not fetch new messages: {}", session.connection, e.getMessage());
                }
            }
        }
    }

    /** Sends what changed in the watched mailboxes, the mailbox list and the subscriptions. */
    void sendEvents(Session session) throws IOException {
        if (mailboxNames || subscriptions) sendListChanges();
        SelectedMailbox selected = session.selected();
        for (Map.Entry<String, Watched> entry : watched.entrySet()) {
            Watched mailbox = entry.getValue();
            if (selected != null && selected.folder.name().equals(entry.getKey())) continue;
            FolderStatus now;
            try {
                now = mailbox.folder.status();
            } catch (StoreException e) {
                continue; // deleted meanwhile: MailboxName tells
            }
            if (!changed(mailbox.last, now, mailbox.items)) continue;
            mailbox.last = now;
            session.send(status(entry.getKey(), now, mailbox.items));
        }
    }

    /** RFC 5465 section 5.4 and 5.5: LIST for mailboxes created, deleted, renamed, (un)subscribed. */
    private void sendListChanges() throws IOException {
        Map<String, Boolean> names = names();
        List<String> subscribed = session.store().subscriptions();
        if (mailboxNames && !names.equals(knownNames)) {
            for (String name : names.keySet()) {
                if (!knownNames.containsKey(name)) session.send(list(name, names.get(name) ? List.of() : List.of("\\NonExistent")));
            }
            for (String name : knownNames.keySet()) {
                if (!names.containsKey(name)) session.send(list(name, List.of("\\NonExistent")));
            }
            watchMailboxes(false);
        }
        if (subscriptions && !subscribed.equals(knownSubscriptions)) {
            for (String name : subscribed) {
                if (!knownSubscriptions.contains(name)) session.send(list(name, List.of("\\Subscribed")));
            }
            for (String name : knownSubscriptions) {
                if (!subscribed.contains(name)) session.send(list(name, List.of()));
            }
        }
        knownNames = names;
        knownSubscriptions = subscribed;
    }

    private static Response.ListMailbox list(String name, List<String> attributes) {
        return new Response.ListMailbox(false, attributes, FolderName.SEPARATOR, name, List.of(), null);
    }

    /** The user's mailboxes, each with whether it is selectable. */
    private Map<String, Boolean> names() throws IOException {
        Map<String, Boolean> names = new HashMap<>();
        for (FolderInfo folder : session.store().list()) names.put(folder.name(), folder.selectable());
        return names;
    }

    /** Opens a watch on every mailbox a group names (and closes those no group names any more). */
    private void watchMailboxes(boolean sendStatus) throws IOException {
        Map<String, List<StatusItem>> wanted = new TreeMap<>();
        List<String> subscribed = session.store().subscriptions();
        for (FolderInfo folder : session.store().list()) {
            if (!folder.selectable()) continue;
            for (Command.NotifyGroup group : groups) {
                if (!covers(group, folder.name(), subscribed)) continue;
                List<StatusItem> items = items(group);
                if (!items.isEmpty()) wanted.merge(folder.name(), items, Notifications::union);
            }
        }
        for (String name : List.copyOf(watched.keySet())) {
            if (!wanted.containsKey(name)) unwatch(watched.remove(name));
        }
        for (Map.Entry<String, List<StatusItem>> entry : wanted.entrySet()) {
            if (watched.containsKey(entry.getKey())) continue;
            Folder folder;
            try {
                folder = session.store().open(entry.getKey());
            } catch (StoreException e) {
                continue;
            }
            Folder.Watch watch = folder.watch(session::wake);
            FolderStatus status = folder.status();
            watched.put(entry.getKey(), new Watched(folder, watch, entry.getValue(), status));
            SelectedMailbox selected = session.selected();
            boolean isSelected = selected != null && selected.folder.name().equals(entry.getKey());
            if (sendStatus && !isSelected) session.send(status(entry.getKey(), status, entry.getValue()));
        }
    }

    /** Whether a group's filter names this mailbox (RFC 5465 section 6). */
    private boolean covers(Command.NotifyGroup group, String name, List<String> subscribed) {
        return switch (group.filter()) {
            case SELECTED, SELECTED_DELAYED -> false;
            case INBOXES -> FolderName.isInbox(name);
            case PERSONAL -> true;
            case SUBSCRIBED -> subscribed.contains(name);
            case MAILBOXES -> group.mailboxes().contains(name);
            case SUBTREE -> group.mailboxes().stream().anyMatch(root -> FolderName.isSelfOrDescendant(name, root));
        };
    }

    /**
     * The STATUS items that show a group's events in a mailbox not selected (RFC 5465 section
     * 5): MESSAGES, UIDNEXT and UIDVALIDITY for new messages, MESSAGES for expunges,
     * UIDVALIDITY and HIGHESTMODSEQ for flag changes.
     */
    private static List<StatusItem> items(Command.NotifyGroup group) {
        Set<StatusItem> items = new LinkedHashSet<>();
        if (has(group, Command.NotifyEventType.MESSAGE_NEW)) {
            items.addAll(List.of(StatusItem.MESSAGES, StatusItem.UIDNEXT, StatusItem.UIDVALIDITY));
        }
        if (has(group, Command.NotifyEventType.MESSAGE_EXPUNGE)) items.add(StatusItem.MESSAGES);
        if (has(group, Command.NotifyEventType.FLAG_CHANGE)) {
            items.addAll(List.of(StatusItem.UIDVALIDITY, StatusItem.HIGHESTMODSEQ));
        }
        return List.copyOf(items);
    }

    private static List<StatusItem> union(List<StatusItem> a, List<StatusItem> b) {
        Set<StatusItem> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    private static boolean has(Command.NotifyGroup group, Command.NotifyEventType type) {
        return group.events().stream().anyMatch(e -> e.type() == type);
    }

    private static boolean changed(FolderStatus before, FolderStatus now, List<StatusItem> items) {
        for (StatusItem item : items) {
            if (!Objects.equals(value(before, item), value(now, item))) return true;
        }
        return false;
    }

    private static Response.MailboxStatus status(String name, FolderStatus status, List<StatusItem> items) {
        List<Response.StatusValue> values = new ArrayList<>(items.size());
        for (StatusItem item : items) values.add(new Response.StatusValue(item, value(status, item)));
        return new Response.MailboxStatus(name, values);
    }

    private static Long value(FolderStatus status, StatusItem item) {
        return switch (item) {
            case MESSAGES -> status.messages();
            case UIDNEXT -> status.uidNext();
            case UIDVALIDITY -> status.uidValidity();
            case HIGHESTMODSEQ -> status.highestModseq();
            default -> throw new IllegalArgumentException("NOTIFY does not report " + item);
        };
    }

    private static void unwatch(Watched mailbox) {
        mailbox.watch.close();
        mailbox.folder.close();
    }

    @Override
    public void close() {
        watched.values().forEach(Notifications::unwatch);
        watched.clear();
    }
}
