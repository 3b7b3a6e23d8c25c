package org.cartero.imap.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.FolderInfo;
import org.cartero.store.FolderName;
import org.cartero.store.FolderNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LIST (RFC 9051 section 6.3.9) with LIST-EXTENDED (RFC 5258), CHILDREN (RFC 3348),
 * SPECIAL-USE (RFC 6154) and LIST-STATUS (RFC 5819); and LSUB (RFC 3501 section 6.3.9).
 * There is one namespace, the user's own, with "/" as hierarchy delimiter.
 */
final class ListCommand {

    private static final Logger log = LoggerFactory.getLogger(ListCommand.class);

    /** A name LIST may report: a folder, a parent that exists only through its children, or a subscription. */
    private record Name(String name, boolean exists, boolean selectable, boolean hasChildren, boolean subscribed,
                        String specialUse) {
    }

    private ListCommand() {
    }

    static StatusResponse list(Session session, String tag, Command.ListMailboxes command) throws IOException {
        if (!command.extended() && command.patterns().size() == 1 && command.patterns().getFirst().isEmpty()) {
            // RFC 9051 section 6.3.9: an empty pattern asks for the delimiter and the reference's root
            session.send(new Response.ListMailbox(false, List.of("\\Noselect"), FolderName.SEPARATOR, root(command.reference()),
                    List.of(), null));
            return StatusResponse.ok(tag, "LIST completed");
        }
        List<Pattern> patterns = new ArrayList<>();
        for (String pattern : command.patterns()) patterns.add(compile(canonical(command.reference(), pattern)));
        Set<Command.ListSelection> selection = command.selection();
        boolean subscribedOnly = selection.contains(Command.ListSelection.SUBSCRIBED);
        boolean specialUseOnly = selection.contains(Command.ListSelection.SPECIAL_USE);
        boolean recursive = selection.contains(Command.ListSelection.RECURSIVEMATCH);
        boolean showSubscribed = subscribedOnly || command.returns().contains(Command.ListReturn.SUBSCRIBED);
        // RFC 5258 section 3: with the extended syntax a name that does not exist is \NonExistent
        boolean nonExistent = command.extended() || session.imap4rev2();

        Map<String, Name> names = names(session);
        for (Name name : names.values()) {
            boolean matches = matchesAny(patterns, name.name);
            boolean meetsCriteria = (!subscribedOnly || name.subscribed) && (!specialUseOnly || name.specialUse != null)
                    && (subscribedOnly || name.exists);
            if (!matches) continue;
            List<String> childInfo = List.of();
            if (!meetsCriteria) {
                // RFC 5258 section 3.5: a parent is listed for a descendant that meets the
                // criteria but is not listed itself
                if (!recursive || !hasHiddenDescendant(names, patterns, name.name, subscribedOnly, specialUseOnly)) continue;
                childInfo = List.of(subscribedOnly ? "SUBSCRIBED" : "SPECIAL-USE");
            }
            List<String> attributes = new ArrayList<>();
            if (!name.exists || !name.selectable) attributes.add(nonExistent ? "\\NonExistent" : "\\Noselect");
            if (name.exists) attributes.add(name.hasChildren ? "\\HasChildren" : "\\HasNoChildren");
            if (showSubscribed && name.subscribed) attributes.add("\\Subscribed");
            if (name.specialUse != null) attributes.add(name.specialUse);
            session.send(new Response.ListMailbox(false, attributes, FolderName.SEPARATOR, name.name,
                    recursive ? childInfo : List.of(), null));
            if (command.returns().contains(Command.ListReturn.STATUS) && name.exists && name.selectable) {
                sendStatus(session, name.name, command);
            }
        }
        return StatusResponse.ok(tag, "LIST completed");
    }

    /**
     * LSUB: the subscribed names matching the pattern; for "%" also the unsubscribed parents of
     * deeper subscriptions, marked \Noselect (RFC 3501 section 6.3.9).
     */
    static StatusResponse lsub(Session session, String tag, Command.Lsub command) throws IOException {
        Pattern pattern = compile(canonical(command.reference(), command.pattern()));
        Map<String, Name> names = names(session);
        Set<String> listed = new LinkedHashSet<>();
        List<String> subscriptions = new ArrayList<>(session.store().subscriptions());
        subscriptions.sort(Comparator.comparing((String n) -> !FolderName.isInbox(n)).thenComparing(n -> n));
        for (String subscribed : subscriptions) {
            if (pattern.matcher(subscribed).matches()) {
                if (!listed.add(subscribed)) continue;
                Name name = names.get(subscribed);
                List<String> attributes = name != null && name.exists && name.selectable ? List.of() : List.of("\\Noselect");
                session.send(new Response.ListMailbox(true, attributes, FolderName.SEPARATOR, subscribed, List.of(), null));
                continue;
            }
            for (String parent = FolderName.parent(subscribed); parent != null; parent = FolderName.parent(parent)) {
                if (pattern.matcher(parent).matches() && !subscriptions.contains(parent) && listed.add(parent)) {
                    session.send(new Response.ListMailbox(true, List.of("\\Noselect"), FolderName.SEPARATOR, parent, List.of(), null));
                }
            }
        }
        return StatusResponse.ok(tag, "LSUB completed");
    }

    /** Every name LIST may report: the folders (and their parents) and the subscriptions, INBOX first. */
    private static Map<String, Name> names(Session session) throws IOException {
        Map<String, Name> names = new TreeMap<>(Comparator.comparing((String n) -> !FolderName.isInbox(n)).thenComparing(n -> n));
        Set<String> subscribed = new LinkedHashSet<>(session.store().subscriptions());
        for (FolderInfo folder : session.store().list()) {
            names.put(folder.name(), new Name(folder.name(), true, folder.selectable(), folder.hasChildren(),
                    subscribed.contains(folder.name()), folder.specialUse() == null ? null : folder.specialUse().attribute()));
        }
        for (String name : subscribed) names.putIfAbsent(name, new Name(name, false, false, false, true, null));
        return names;
    }

    /**
     * Whether a descendant of {@code parent} meets the selection criteria but is not matched by
     * the patterns (so CHILDINFO is not redundant, RFC 5258 section 3.5).
     */
    private static boolean hasHiddenDescendant(Map<String, Name> names, List<Pattern> patterns, String parent,
                                               boolean subscribedOnly, boolean specialUseOnly) {
        String prefix = parent + FolderName.SEPARATOR;
        for (Name name : names.values()) {
            if (!name.name.startsWith(prefix) || matchesAny(patterns, name.name)) continue;
            if ((!subscribedOnly || name.subscribed) && (!specialUseOnly || name.specialUse != null)) return true;
        }
        return false;
    }

    private static void sendStatus(Session session, String name, Command.ListMailboxes command) throws IOException {
        try {
            session.send(StatusCommand.values(session, name, command.statusItems()));
        } catch (FolderNotFoundException e) {
            log.debug("{} vanished while listing it", name);
        }
    }

    /** The root of a reference: the name itself, for the delimiter request of LIST "" "". */
    private static String root(String reference) {
        int slash = reference.indexOf(FolderName.SEPARATOR);
        return slash < 0 ? "" : reference.substring(0, slash + 1);
    }

    /**
     * The pattern the reference and the mailbox argument make together (RFC 9051 section
     * 6.3.9); INBOX is matched without regard to case (section 5.1).
     */
    static String canonical(String reference, String pattern) {
        String joined = reference.endsWith("/") && pattern.startsWith("/") ? reference + pattern.substring(1) : reference + pattern;
        int end = joined.indexOf(FolderName.SEPARATOR);
        String first = end < 0 ? joined : joined.substring(0, end);
        if (first.equalsIgnoreCase(FolderName.INBOX)) return FolderName.INBOX + joined.substring(first.length());
        return joined;
    }

    /** "*" matches anything, "%" anything but the delimiter. */
    static Pattern compile(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '%') {
                if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '*' ? ".*" : "[^/]*");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    private static boolean matchesAny(List<Pattern> patterns, String name) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).matches()) return true;
        }
        return false;
    }
}
