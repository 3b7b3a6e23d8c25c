package org.cartero.core.directory;

import org.cartero.core.mail.MailAddress;

/** A user of a virtual domain, kept in Cartero's own directory; mail lives in a Maildir under data_dir. */
public record VirtualAccount(MailAddress address, long quotaBytes) implements Account {

    @Override
    public String name() {
        return address.toString();
    }
}
