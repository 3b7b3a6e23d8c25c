package org.cartero.smtp.client;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A server the client talked to (or tried to): the host name it was found under (an MX host, the
 * relay host) and the address and port connected to. Its name is the "Remote-MTA" of a DSN.
 */
public record RemoteHost(String name, InetSocketAddress address) {

    public RemoteHost {
        Objects.requireNonNull(name);
        Objects.requireNonNull(address);
    }

    /** As logs show it: "mx.example.org[192.0.2.1]:25". */
    @Override
    public String toString() {
        return name + "[" + address.getAddress().getHostAddress() + "]:" + address.getPort();
    }
}
