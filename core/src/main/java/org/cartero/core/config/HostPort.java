package org.cartero.core.config;

/**
 * A "host:port" pair from the configuration: an IPv4 address, a name, or an IPv6 address in
 * brackets ("[::1]:25"). The host is kept as written; "0.0.0.0" and "[::]" mean every address.
 */
public record HostPort(String host, int port) {

    public HostPort {
        if (host == null || host.isEmpty()) throw new IllegalArgumentException("empty host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    public static HostPort parse(String text) {
        String s = text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new IllegalArgumentException("expected \"host:port\", got \"" + text + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[")) {
            if (!host.endsWith("]")) throw new IllegalArgumentException("unclosed [ in \"" + text + "\"");
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets, as \"[::1]:25\", got \"" + text + "\"");
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port is not a number in \"" + text + "\"");
        }
        if (port > 65535) throw new IllegalArgumentException("port out of range in \"" + text + "\"");
        return new HostPort(host, port);
    }

    @Override
    public String toString() {
        return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
}
