package sluice.server;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Waiting for an asynchronous outcome with a deadline, instead of sleeping a guessed time. */
final class Poll {

    private Poll() {
    }

    /** Calls {@code probe} until {@code done} holds for its result; fails with the last result at the deadline. */
    static <T> T until(Duration timeout, String what, Callable<T> probe, Predicate<T> done) {
        return until(timeout, () -> what, probe, done);
    }

    /** As above, with a description computed only on failure (for logs that are read at the deadline). */
    static <T> T until(Duration timeout, java.util.function.Supplier<String> what, Callable<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        Exception lastError = null;
        while (true) {
            try {
                last = probe.call();
                lastError = null;
                if (done.test(last)) return last;
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() > deadline) {
                AssertionError err = new AssertionError("timed out after " + timeout + " waiting for " + what.get()
                        + "; last seen: " + (lastError != null ? lastError : last));
                if (lastError != null) err.initCause(lastError);
                throw err;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what.get());
            }
        }
    }
}
