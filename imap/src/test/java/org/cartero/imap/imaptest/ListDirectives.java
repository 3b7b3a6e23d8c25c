package org.cartero.imap.imaptest;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code $!} directives at the start of a list in an expected reply, and the defaults
 * imaptest adds to lists that have none (scripted_test.md, "Directives"):
 * <ul>
 * <li>{@code n FETCH ($!unordered=2 ...)}: FETCH items in any order;</li>
 * <li>{@code n FETCH (FLAGS ($!unordered $!noextra $!ignore=\recent ...))}: the exact flags in any
 * order, \Recent (and $HasAttachment, $HasNoAttachment) tolerated;</li>
 * <li>{@code LIST ($!unordered)} and {@code LSUB ($!unordered)}: attributes in any order, extra
 * ones allowed;</li>
 * <li>{@code STATUS mailbox ($!unordered=2)}: status items in any order.</li>
 * </ul>
 */
final class ListDirectives {
    static final String PREFIX = "$!";

    private ListDirectives() {
    }

    /** The reply with default directives added to its lists; checks the directives written. */
    static List<ImapArg> addDefaults(List<ImapArg> reply, String replyName) throws ImapSyntaxException {
        return process(new Context(null, replyName, null, 0), reply);
    }

    private static List<ImapArg> process(Context context, List<ImapArg> args) throws ImapSyntaxException {
        boolean written = parseWritten(context, args);
        List<ImapArg> list = written ? args : withDefaults(context, args);
        List<ImapArg> out = new ArrayList<>(list.size());
        String previousAtom = null;
        for (int i = 0; i < list.size(); i++) {
            ImapArg arg = list.get(i);
            if (arg.atom() != null) {
                previousAtom = Text.lower(arg.atom());
            }
            if (arg instanceof ImapArg.ArgList sublist) {
                int chainIndex = context.chainCount == 1 ? i : i % context.chainCount;
                Context subcontext = new Context(context, Text.lower(context.replyName), previousAtom, chainIndex);
                out.add(new ImapArg.ArgList(process(subcontext, sublist.items())));
            } else {
                out.add(arg);
            }
        }
        return out;
    }

    /** Validates the directives written at the start of the list; true when there are any. */
    private static boolean parseWritten(Context context, List<ImapArg> args) throws ImapSyntaxException {
        boolean any = false;
        for (ImapArg arg : args) {
            String atom = arg.atom();
            if (atom == null || !atom.startsWith(PREFIX)) {
                break;
            }
            String directive = atom.substring(PREFIX.length());
            if (directive.startsWith("unordered")) {
                if (directive.length() > "unordered".length()) {
                    long chain = directive.charAt(9) == '=' ? Text.parseUint32(directive.substring(10)) : -1;
                    if (chain <= 0) {
                        throw new ImapSyntaxException("Broken $!unordered directive");
                    }
                    context.chainCount = (int) chain;
                }
            } else if (!directive.equals("ordered") && !directive.equals("noextra") && !directive.equals("extra")
                    && !directive.startsWith("ignore=") && !directive.startsWith("ban=")) {
                throw new ImapSyntaxException("Unknown directive: " + directive);
            }
            any = true;
        }
        return any;
    }

    private static List<ImapArg> withDefaults(Context context, List<ImapArg> args) {
        Context parent = context.parent;
        if (parent == null) {
            return args;
        }
        boolean directlyInReply = parent.parent == null && parent.chainIndex == 0;
        List<String> defaults = switch (context.replyName) {
            case "list", "lsub" -> directlyInReply && context.chainIndex == 1
                    ? List.of("$!unordered") : List.of();
            case "status" -> directlyInReply && context.chainIndex == 2
                    ? List.of("$!unordered=2") : List.of();
            case "fetch" -> {
                if (directlyInReply && context.chainIndex == 2) {
                    yield List.of("$!unordered=2");
                }
                boolean inFetchItems = parent.parent != null && parent.parent.parent == null
                        && parent.parent.chainIndex == 0 && parent.chainIndex == 2;
                yield inFetchItems && "flags".equals(context.previousAtom)
                        ? List.of("$!ignore=$HasNoAttachment", "$!ignore=$HasAttachment", "$!ignore=\\recent",
                                "$!noextra", "$!unordered")
                        : List.of();
            }
            default -> List.of();
        };
        if (defaults.isEmpty()) {
            return args;
        }
        List<ImapArg> out = new ArrayList<>(defaults.size() + args.size());
        defaults.forEach(directive -> out.add(new ImapArg.Atom(directive)));
        out.addAll(args);
        return out;
    }

    private static final class Context {
        final Context parent;
        /** The reply name (FETCH, LIST...): as written at the top, lower case below. */
        final String replyName;
        /** The last atom before this list in its parent, lower case; null if none. */
        final String previousAtom;
        /** Position in the parent list (within its chain when the parent has chains). */
        final int chainIndex;
        int chainCount = 1;

        Context(Context parent, String replyName, String previousAtom, int chainIndex) {
            this.parent = parent;
            this.replyName = replyName;
            this.previousAtom = previousAtom;
            this.chainIndex = chainIndex;
        }
    }
}
