package org.cartero.imap.server;

import java.io.IOException;
import java.util.List;
import org.cartero.imap.protocol.Command;
import org.cartero.imap.protocol.Response;
import org.cartero.imap.protocol.ResponseCode;
import org.cartero.imap.protocol.StatusResponse;
import org.cartero.store.QuotaUsage;

/**
 * GETQUOTA, GETQUOTAROOT and SETQUOTA (RFC 9208). An account has one quota root, "", whose
 * STORAGE resource is the account's quota in KiB; an account without a limit has no root.
 * Limits are the administrator's to set (cartero user), so SETQUOTA is refused.
 */
final class QuotaCommands {

    /** The one quota root of an account. */
    static final String ROOT = "";

    private QuotaCommands() {
    }

    static StatusResponse getQuotaRoot(Session session, String tag, Command.GetQuotaRoot command) throws IOException {
        session.store().status(command.mailbox()); // the mailbox must exist
        QuotaUsage usage = session.store().quota();
        session.send(new Response.QuotaRoot(command.mailbox(), usage.limited() ? List.of(ROOT) : List.of()));
        if (usage.limited()) session.send(quota(usage));
        return StatusResponse.ok(tag, "GETQUOTAROOT completed");
    }

    static StatusResponse getQuota(Session session, String tag, Command.GetQuota command) throws IOException, ImapException {
        QuotaUsage usage = session.store().quota();
        if (!command.root().equals(ROOT) || !usage.limited()) {
            throw ImapException.no(ResponseCode.NONEXISTENT, "No quota root " + command.root());
        }
        session.send(quota(usage));
        return StatusResponse.ok(tag, "GETQUOTA completed");
    }

    static StatusResponse setQuota(Session session, String tag, Command.SetQuota command) throws ImapException {
        throw ImapException.no(ResponseCode.NOPERM, "Quotas are set by the administrator");
    }

    /** RFC 9208 section 5.1: STORAGE in units of 1024 octets, rounded up. */
    private static Response.Quota quota(QuotaUsage usage) {
        return new Response.Quota(ROOT, List.of(new Response.QuotaResource("STORAGE",
                (usage.storageBytes() + 1023) / 1024, usage.storageLimitBytes() / 1024)));
    }
}
