package sluice.admin.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock that stands still until a test moves it (session expiry, throttling windows, token expiry). */
public final class TestClock implements InstantSource {

    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    @Override
    public Instant instant() {
        return now;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }
}
