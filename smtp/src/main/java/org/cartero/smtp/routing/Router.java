package org.cartero.smtp.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cartero.core.directory.Account;
import org.cartero.core.directory.Directory;
import org.cartero.core.directory.DirectoryException;
import org.cartero.core.directory.Resolution;
import org.cartero.core.mail.MailAddress;
import org.cartero.smtp.queue.Destination;
import org.cartero.smtp.srs.Srs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides where mail for one recipient goes, at RCPT time: through the directory (virtual aliases,
 * the aliases file, the recipient delimiter, local and virtual users), with two rules of its own:
 *
 * <ul>
 *   <li>SRS: an address in the SRS domain that this server signed leads back to the address it
 *       stands for, so a bounce to a forwarded message reaches its original sender. One with a
 *       bad hash or too old is unknown.
 *   <li>postmaster: RFC 5321 section 4.5.1 has every domain accept mail for postmaster. When the
 *       directory has no postmaster in a hosted domain, the mail goes to the configured
 *       postmaster address, else to postmaster@hostname, else to the local user root.
 * </ul>
 *
 * Thread-safe.
 */
public final class Router {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /** How often an SRS1 address may lead to another of ours before the chain counts as a loop. */
    private static final int MAX_SRS_HOPS = 3;

    private final Directory directory;
    private final Srs srs;
    private final String hostname;
    private final String delimiter;
    private final Optional<MailAddress> postmaster;

    public Router(Directory directory, Srs srs, String hostname, String delimiter, Optional<MailAddress> postmaster) {
        this.directory = directory;
        this.srs = srs;
        this.hostname = hostname;
        this.delimiter = delimiter;
        this.postmaster = postmaster;
    }

    public Route route(MailAddress recipient) throws DirectoryException {
        return route(recipient, 0);
    }

    private Route route(MailAddress recipient, int hops) throws DirectoryException {
        if (recipient.domain().equals(srs.domain()) && Srs.isSrs(recipient.localPart())) {
            Optional<MailAddress> original = srs.reverse(recipient);
            if (original.isEmpty() || hops >= MAX_SRS_HOPS) {
                log.info("{}: not a valid SRS address of this server", recipient);
                return new Route.Unknown();
            }
            Route back = route(original.get(), hops + 1);
            return back instanceof Route.Foreign foreign
                    ? new Route.Deliver(List.of(new Destination.Remote(foreign.destination().address(), true)))
                    : back;
        }
        Resolution resolution = directory.resolve(recipient);
        if (resolution instanceof Resolution.Unknown && isPostmaster(recipient)) {
            return postmasterRoute(recipient);
        }
        return switch (resolution) {
            case Resolution.Unknown u -> new Route.Unknown();
            case Resolution.NotOurs n -> new Route.Foreign(new Destination.Remote(recipient, false));
            case Resolution.Deliver d -> new Route.Deliver(destinations(d));
        };
    }

    private static boolean isPostmaster(MailAddress recipient) {
        return recipient.localPart().equalsIgnoreCase("postmaster");
    }

    private Route postmasterRoute(MailAddress recipient) throws DirectoryException {
        List<MailAddress> candidates = new ArrayList<>();
        postmaster.ifPresent(candidates::add);
        candidates.add(new MailAddress("postmaster", hostname));
        candidates.add(new MailAddress("root", hostname));
        for (MailAddress candidate : candidates) {
            if (candidate.equals(recipient.canonical())) continue;
            if (directory.resolve(candidate) instanceof Resolution.Deliver d) return new Route.Deliver(destinations(d));
            if (!directory.isHostedDomain(candidate.domain())) {
                return new Route.Deliver(List.of(new Destination.Remote(candidate, true)));
            }
        }
        log.error("Mail for {} has nowhere to go: set [smtp] postmaster, or alias postmaster to someone", recipient);
        return new Route.Unknown();
    }

    private List<Destination> destinations(Resolution.Deliver deliver) {
        List<Destination> destinations = new ArrayList<>(deliver.destinations().size());
        for (Resolution.Destination d : deliver.destinations()) {
            destinations.add(switch (d) {
                case Resolution.Mailbox m -> new Destination.Local(m.account().name(), deliveredTo(m.account(), m.detail()));
                case Resolution.Forward f -> new Destination.Remote(f.address(), true);
            });
        }
        return destinations;
    }

    /** The account's address, with the detail after the delimiter when there was one (user+tag@domain). */
    private MailAddress deliveredTo(Account account, Optional<String> detail) {
        MailAddress address = account.address();
        if (detail.isEmpty() || delimiter.isEmpty()) return address;
        return new MailAddress(address.localPart() + delimiter + detail.get(), address.domain());
    }
}
