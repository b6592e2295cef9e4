package sluice.core.testing;

import sluice.core.receive.SubmissionLimits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Every password check of a {@link SubmissionLimits} taken, as by slow logins, until {@link #release}:
 * for tests of what a login does while it waits for a turn (SMTP AUTH's and IMAP's share them).
 */
public final class HeldPasswordChecks implements AutoCloseable {

    private final CountDownLatch released = new CountDownLatch(1);
    private final List<Thread> holders = new ArrayList<>();

    private HeldPasswordChecks() {
    }

    /** Returns once all {@link SubmissionLimits#CONCURRENT_CHECKS} checks run and hold their turns. */
    public static HeldPasswordChecks of(SubmissionLimits limits) throws InterruptedException {
        HeldPasswordChecks held = new HeldPasswordChecks();
        CountDownLatch running = new CountDownLatch(SubmissionLimits.CONCURRENT_CHECKS);
        for (int i = 0; i < SubmissionLimits.CONCURRENT_CHECKS; i++) held.holders.add(Thread.ofVirtual().start(() -> limits.checkPassword(() -> {
            running.countDown();
            try {
                held.released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        })));
        if (!running.await(5, TimeUnit.SECONDS)) throw new IllegalStateException("the password checks were not all free to take");
        return held;
    }

    /** Ends the held checks; true when each gave its turn back within 5 seconds. */
    public boolean release() throws InterruptedException {
        released.countDown();
        boolean all = true;
        for (Thread t : holders) all &= t.join(Duration.ofSeconds(5));
        return all;
    }

    @Override
    public void close() throws InterruptedException {
        release();
    }
}
