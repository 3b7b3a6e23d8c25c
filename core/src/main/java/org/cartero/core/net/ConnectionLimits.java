package org.cartero.core.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts open connections, in total and per client, against {@code limits.max_connections} and
 * {@code limits.max_connections_per_ip}. An IPv6 client counts by its /64 network, since one
 * host commonly holds a whole /64.
 */
final class ConnectionLimits {
    static final String TOO_MANY = "too many connections, try again later";
    static final String TOO_MANY_FROM_CLIENT = "too many connections from your address, try again later";

    private final int maxTotal;
    private final int maxPerClient;
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private int total;

    ConnectionLimits(int maxTotal, int maxPerClient) {
        this.maxTotal = maxTotal;
        this.maxPerClient = maxPerClient;
    }

    /** Counts the connection in and returns null, or returns why it must be refused (and counts nothing). */
    synchronized String admit(InetAddress client) {
        if (total >= maxTotal) return TOO_MANY;
        InetAddress key = clientKey(client);
        int open = perClient.getOrDefault(key, 0);
        if (open >= maxPerClient) return TOO_MANY_FROM_CLIENT;
        perClient.put(key, open + 1);
        total++;
        return null;
    }

    /** Counts out a connection that {@link #admit} counted in. */
    synchronized void release(InetAddress client) {
        InetAddress key = clientKey(client);
        int open = perClient.getOrDefault(key, 0);
        if (open <= 0) throw new IllegalStateException("released a connection never admitted: " + client);
        if (open == 1) {
            perClient.remove(key);
        } else {
            perClient.put(key, open - 1);
        }
        total--;
    }

    synchronized int total() {
        return total;
    }

    private static InetAddress clientKey(InetAddress client) {
        if (!(client instanceof Inet6Address)) return client;
        try {
            return InetAddress.getByAddress(Arrays.copyOf(Arrays.copyOf(client.getAddress(), 8), 16));
        } catch (UnknownHostException e) {
            throw new AssertionError("16 bytes are an IPv6 address", e);
        }
    }
}
