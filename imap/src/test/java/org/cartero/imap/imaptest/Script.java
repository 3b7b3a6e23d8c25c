package org.cartero.imap.imaptest;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One imaptest test group, parsed from its script file (see scripted_test.md beside the tests).
 *
 * @param requiredCapabilities the header's {@code capabilities:}; empty when there is none
 * @param messageCount how many messages of the mbox to APPEND first; {@link #ALL_MESSAGES} for all
 * @param secondUserConnections connections (0-based) that log in as the second user
 *        ({@code user N: $user2} in the header)
 * @param bannerCheck the first group checks the greeting instead of sending a command
 * @param modseqRules whether {@code $modseqN} variables follow imaptest's modseq rules: only when
 *        the script introduces them in increasing N, as the rules require; scripts written
 *        before the rules existed (esearch-condstore) use them as plain variables
 */
record Script(String name, Path path, Path mbox, List<String> requiredCapabilities, int connectionCount,
              long messageCount, StartupState startupState, boolean ignoreExtraUntagged,
              Set<Integer> secondUserConnections, boolean bannerCheck, boolean modseqRules,
              List<CommandGroup> groups) {

    static final long ALL_MESSAGES = -1;

    /** What the runner prepares before the first command; each state includes the ones before. */
    enum StartupState {
        /** Connected, not logged in. */
        NONAUTH,
        /** Logged in; every mailbox named like the test mailbox deleted and unsubscribed. */
        AUTH,
        /** The test mailbox created. */
        CREATED,
        /** The messages appended to it. */
        APPENDED,
        /** It is selected on every connection. */
        SELECTED
    }

    /** Whether an expected untagged reply must, must not or may arrive. */
    enum Existence { MUST_EXIST, MUST_NOT_EXIST, MAY_EXIST }

    /**
     * Commands sent together on one connection (pipelined when there are several) and the
     * untagged replies expected while they run.
     *
     * @param connection 0-based connection index
     * @param untaggedOrdered the expected untagged replies must arrive in this order ({@code !ordered})
     * @param untaggedBye a {@code * BYE} is expected, so the server may close the connection
     * @param outputs {@code !output} lines printed (with variables expanded) when the group ends
     */
    record CommandGroup(int connection, List<Command> commands, List<ExpectedUntagged> untagged,
                        boolean untaggedOrdered, boolean untaggedBye, long sleepMillis, List<String> outputs) {
    }

    /**
     * One command of a group.
     *
     * @param line the script line, 0 for the LOGOUT the runner adds at the end
     * @param scriptTag the {@code tagN} number of a pipelined command, 0 when there is none
     * @param text the command without tag, variables not yet expanded; literals already in
     *        {@code {n}\r\n} form
     * @param reply the expected tagged reply (status and optional prefix); an empty atom matches
     *        any status
     */
    record Command(int line, int scriptTag, String text, List<ImapArg> reply) {
        boolean expectsBad() {
            String status = reply.getFirst().atom();
            return status != null && Text.equalsIgnoreCase(status, "bad");
        }

        boolean expectsAnyStatus() {
            return reply.size() == 1 && "".equals(reply.getFirst().atom());
        }
    }

    /**
     * An untagged reply line of a group.
     *
     * @param args the reply after "* ", with the default {@code $!} list directives added
     * @param text the line as written in the script, for reports
     */
    record ExpectedUntagged(List<ImapArg> args, Existence existence, String text, int line) {
    }
}
