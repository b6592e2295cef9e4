package sluice.smtp;

import org.slf4j.LoggerFactory;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One daemon thread that looks at a set of timed things a few times a second and expires those past
 * their time: cheaper than a timer task per step when steps are many and short (replies flushed, client
 * commands sent), at the price of a sweep's interval of slack. The server's write deadline and the
 * client's watchdog both use it.
 */
public final class Sweeper {

    private Sweeper() {
    }

    /**
     * Starts the thread. Each sweep offers every member to {@code claim}, which answers true when the member is
     * due and now belongs to this sweep (taken out of its set, so nobody else expires it), then runs
     * {@code expire} on it. The thread serves everyone, so nothing a member does may end it: a failure is logged
     * as {@code failure} and the sweep goes on.
     */
    public static <T> void start(String name, long intervalMillis, Iterable<T> members, Predicate<T> claim,
                                 Consumer<T> expire, Class<?> logAs, String failure) {
        Thread.ofPlatform().name(name).daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
                for (T member : members) {
                    try {
                        if (claim.test(member)) expire.accept(member);
                    } catch (Throwable e) {
                        LoggerFactory.getLogger(logAs).warn("{}: {}", failure, e.toString());
                    }
                }
            }
        });
    }
}
