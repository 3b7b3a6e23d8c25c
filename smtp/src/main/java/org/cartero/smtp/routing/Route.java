package org.cartero.smtp.routing;

import java.util.List;
import org.cartero.smtp.queue.Destination;

/** The router's answer for one recipient. */
public sealed interface Route {

    /** In one of our domains, and nobody has the address: SMTP refuses it with 550 5.1.1. */
    record Unknown() implements Route {}

    /** In a domain that is not ours: mail goes there only from authenticated users (else 554 5.7.1, no open relay). */
    record Foreign(Destination.Remote destination) implements Route {}

    /** Ours to deliver or forward: the destinations, never empty. */
    record Deliver(List<Destination> destinations) implements Route {
        public Deliver {
            if (destinations.isEmpty()) throw new IllegalArgumentException("no destinations");
            destinations = List.copyOf(destinations);
        }
    }
}
