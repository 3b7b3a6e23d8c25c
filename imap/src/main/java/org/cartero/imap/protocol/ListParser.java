package org.cartero.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** LIST with LIST-EXTENDED (RFC 5258), SPECIAL-USE (RFC 6154), LIST-STATUS (RFC 5819); and LSUB. */
final class ListParser {

    private ListParser() {
    }

    /**
     * list = "LIST" [SP list-select-opts] SP mailbox SP mbox-or-pat [SP list-return-opts];
     * mbox-or-pat = list-mailbox / "(" list-mailbox *(SP list-mailbox) ")".
     */
    static Command list(Arguments a) throws ProtocolException, IOException {
        a.sp();
        Set<Command.ListSelection> selection = EnumSet.noneOf(Command.ListSelection.class);
        boolean extended = false;
        if (a.peek() == '(') {
            selection = selectionOptions(a);
            extended = true;
            a.sp();
        }
        String reference = a.listMailbox();
        a.sp();
        List<String> patterns = new ArrayList<>();
        if (a.tryChar('(')) {
            extended = true;
            do {
                patterns.add(a.listMailbox());
            } while (a.trySp());
            a.expect(')');
        } else {
            patterns.add(a.listMailbox());
        }
        Set<Command.ListReturn> returns = EnumSet.noneOf(Command.ListReturn.class);
        List<StatusItem> statusItems = List.of();
        if (a.trySp()) {
            if (!a.tryKeyword("RETURN")) throw a.bad("Expected RETURN");
            extended = true;
            a.sp();
            a.expect('(');
            if (!a.tryChar(')')) {
                do {
                    String name = a.keyword("a LIST return option");
                    switch (name) {
                        case "SUBSCRIBED" -> returns.add(Command.ListReturn.SUBSCRIBED);
                        case "CHILDREN" -> returns.add(Command.ListReturn.CHILDREN);
                        case "SPECIAL-USE" -> returns.add(Command.ListReturn.SPECIAL_USE);
                        case "STATUS" -> {
                            a.sp();
                            returns.add(Command.ListReturn.STATUS);
                            statusItems = CommandParser.statusItems(a);
                        }
                        default -> throw ProtocolException.bad("Unknown LIST return option " + name);
                    }
                } while (a.trySp());
                a.expect(')');
            }
        }
        return new Command.ListMailboxes(reference, patterns, selection, returns, statusItems, extended);
    }

    /** list-select-opts = "(" [list-select-opt *(SP list-select-opt)] ")". */
    private static Set<Command.ListSelection> selectionOptions(Arguments a) throws ProtocolException {
        a.expect('(');
        Set<Command.ListSelection> selection = EnumSet.noneOf(Command.ListSelection.class);
        if (a.tryChar(')')) return selection;
        do {
            String name = a.keyword("a LIST selection option");
            switch (name) {
                case "SUBSCRIBED" -> selection.add(Command.ListSelection.SUBSCRIBED);
                case "REMOTE" -> selection.add(Command.ListSelection.REMOTE);
                case "RECURSIVEMATCH" -> selection.add(Command.ListSelection.RECURSIVEMATCH);
                case "SPECIAL-USE" -> selection.add(Command.ListSelection.SPECIAL_USE);
                default -> throw ProtocolException.bad("Unknown LIST selection option " + name);
            }
        } while (a.trySp());
        a.expect(')');
        // RFC 5258 section 3: RECURSIVEMATCH alone, or with REMOTE only, MUST get BAD
        if (selection.contains(Command.ListSelection.RECURSIVEMATCH)
                && !selection.contains(Command.ListSelection.SUBSCRIBED)
                && !selection.contains(Command.ListSelection.SPECIAL_USE)) {
            throw ProtocolException.bad("RECURSIVEMATCH needs another selection option, such as SUBSCRIBED");
        }
        return selection;
    }

    /** lsub = "LSUB" SP mailbox SP list-mailbox (RFC 3501). */
    static Command lsub(Arguments a) throws ProtocolException, IOException {
        a.sp();
        String reference = a.listMailbox();
        a.sp();
        return new Command.Lsub(reference, a.listMailbox());
    }
}
