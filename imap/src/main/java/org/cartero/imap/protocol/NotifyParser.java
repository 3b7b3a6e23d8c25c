package org.cartero.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** NOTIFY (RFC 5465). */
final class NotifyParser {

    private NotifyParser() {
    }

    /**
     * notify = "NOTIFY" SP ("NONE" / "SET" [SP "STATUS"] SP event-group *(SP event-group));
     * event-group = "(" filter-mailboxes SP events ")".
     */
    static Command notify(Arguments a) throws ProtocolException, IOException {
        a.sp();
        if (a.tryKeyword("NONE")) return new Command.Notify(false, List.of());
        if (!a.tryKeyword("SET")) throw a.bad("Expected SET or NONE");
        a.sp();
        boolean status = a.tryKeyword("STATUS");
        if (status) a.sp();
        List<Command.NotifyGroup> groups = new ArrayList<>();
        do {
            groups.add(group(a));
        } while (a.trySp());
        return new Command.Notify(status, groups);
    }

    private static Command.NotifyGroup group(Arguments a) throws ProtocolException, IOException {
        a.expect('(');
        String name = a.keyword("a mailbox filter");
        Command.NotifyFilter filter = switch (name) {
            case "SELECTED" -> Command.NotifyFilter.SELECTED;
            case "SELECTED-DELAYED" -> Command.NotifyFilter.SELECTED_DELAYED;
            case "INBOXES" -> Command.NotifyFilter.INBOXES;
            case "PERSONAL" -> Command.NotifyFilter.PERSONAL;
            case "SUBSCRIBED" -> Command.NotifyFilter.SUBSCRIBED;
            case "SUBTREE" -> Command.NotifyFilter.SUBTREE;
            case "MAILBOXES" -> Command.NotifyFilter.MAILBOXES;
            default -> throw ProtocolException.bad("Unknown NOTIFY mailbox filter " + name);
        };
        List<String> mailboxes = new ArrayList<>();
        if (filter == Command.NotifyFilter.SUBTREE || filter == Command.NotifyFilter.MAILBOXES) {
            // one-or-more-mailbox = mailbox / "(" mailbox *(SP mailbox) ")"
            a.sp();
            if (a.tryChar('(')) {
                do {
                    mailboxes.add(a.mailbox());
                } while (a.trySp());
                a.expect(')');
            } else {
                mailboxes.add(a.mailbox());
            }
        }
        a.sp();
        List<Command.NotifyEvent> events = new ArrayList<>();
        if (!a.tryKeyword("NONE")) {
            a.expect('(');
            do {
                events.add(event(a));
            } while (a.trySp());
            a.expect(')');
        }
        a.expect(')');
        return new Command.NotifyGroup(filter, mailboxes, events);
    }

    /** event = ("MessageNew" [SP "(" fetch-att *(SP fetch-att) ")"]) / other event names / atom. */
    private static Command.NotifyEvent event(Arguments a) throws ProtocolException, IOException {
        String name = a.atom();
        Command.NotifyEventType type = Command.NotifyEventType.OTHER;
        for (Command.NotifyEventType candidate : Command.NotifyEventType.values()) {
            if (candidate != Command.NotifyEventType.OTHER && candidate.atom().equalsIgnoreCase(name)) type = candidate;
        }
        List<FetchAttribute> fetch = List.of();
        // MessageNew's FETCH attributes follow as SP "(": another event would be an atom
        if (type == Command.NotifyEventType.MESSAGE_NEW && a.peek() == ' ' && a.peek(1) == '(') {
            a.sp();
            fetch = FetchParser.attributeList(a);
        }
        return new Command.NotifyEvent(type, fetch);
    }
}
