package org.cartero.imap.imaptest;

import java.util.List;

/** How one test group went. */
sealed interface GroupOutcome {

    /** Every command got the replies the script expects. */
    record Passed(List<String> warnings) implements GroupOutcome {
    }

    /** Not run, as imaptest would not run it: the server lacks capabilities the group needs. */
    record Skipped(List<String> missingCapabilities) implements GroupOutcome {
        String reason() {
            return "the server does not announce " + String.join(" ", missingCapabilities)
                    + ", which the group needs (imaptest skips it)";
        }
    }

    /** At least one mismatch; the report says which command, what was expected, what came. */
    record Failed(String report) implements GroupOutcome {
    }
}
