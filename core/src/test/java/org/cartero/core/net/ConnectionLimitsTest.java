package org.cartero.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

    private static InetAddress ip(String address) throws UnknownHostException {
        return InetAddress.getByName(address);
    }

    @Test
    void countsInTotalAndPerClient() throws UnknownHostException {
        ConnectionLimits limits = new ConnectionLimits(3, 2);
        assertThat(limits.admit(ip("192.0.2.1"))).isNull();
        assertThat(limits.admit(ip("192.0.2.1"))).isNull();
        assertThat(limits.admit(ip("192.0.2.1"))).isEqualTo(ConnectionLimits.TOO_MANY_FROM_CLIENT);
        assertThat(limits.admit(ip("192.0.2.2"))).isNull();
        assertThat(limits.admit(ip("192.0.2.3"))).isEqualTo(ConnectionLimits.TOO_MANY);
        assertThat(limits.total()).isEqualTo(3);

        limits.release(ip("192.0.2.1"));
        assertThat(limits.admit(ip("192.0.2.3"))).isNull();
        assertThat(limits.total()).isEqualTo(3);
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() throws UnknownHostException {
        ConnectionLimits limits = new ConnectionLimits(100, 2);
        assertThat(limits.admit(ip("2001:db8:1:2::1"))).isNull();
        assertThat(limits.admit(ip("2001:db8:1:2:ffff::9"))).isNull();
        assertThat(limits.admit(ip("2001:db8:1:2:abcd::7"))).as("same /64").isEqualTo(ConnectionLimits.TOO_MANY_FROM_CLIENT);
        assertThat(limits.admit(ip("2001:db8:1:3::1"))).as("another /64").isNull();

        limits.release(ip("2001:db8:1:2::1234"));
        assertThat(limits.admit(ip("2001:db8:1:2::5"))).isNull();
    }
}
