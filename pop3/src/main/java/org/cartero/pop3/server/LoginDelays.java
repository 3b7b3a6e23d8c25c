package org.cartero.pop3.server;

import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The LOGIN-DELAY policy (RFC 2449 section 6.5): when each user last logged in over POP3, so that
 * a login sooner than the delay allows is refused with [LOGIN-DELAY]. Kept in memory: a restart
 * forgets it, which errs on the user's side. Thread-safe; one instance serves every session.
 */
final class LoginDelays {
    /** Logins older than the delay are swept out once the map holds this many users. */
    private static final int SWEEP_ABOVE = 10_000;

    private final Duration delay;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, Long> lastLogin = new ConcurrentHashMap<>();

    LoginDelays(Duration delay, InstantSource clock) {
        this.delay = delay;
        this.clock = clock;
    }

    /** True when {@code user} may log in now (no earlier login within the delay). */
    boolean mayLogIn(String user) {
        Long last = lastLogin.get(user);
        return last == null || clock.millis() - last >= delay.toMillis();
    }

    /** Notes a login of {@code user} now. */
    void loggedIn(String user) {
        long now = clock.millis();
        lastLogin.put(user, now);
        if (lastLogin.size() > SWEEP_ABOVE) lastLogin.values().removeIf(at -> now - at >= delay.toMillis());
    }
}
