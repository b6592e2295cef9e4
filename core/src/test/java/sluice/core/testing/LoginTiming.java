package sluice.core.testing;

import sluice.core.mail.Address;
import sluice.core.org.Mailbox;
import sluice.core.org.Passwords;

import java.util.Arrays;
import java.util.List;

/** For tests that a failed login takes as long whether or not the address has a mailbox (and a password). */
public final class LoginTiming {

    /** Argon2 parameters costly enough to measure, cheap enough for a test. */
    public static final Passwords PASSWORDS = new Passwords(8_192, 3, 1);
    public static final String PASSWORD = "secret";

    private LoginTiming() {
    }

    /** alice@a.example with {@link #PASSWORD} hashed by {@link #PASSWORDS}, and nopass@a.example without a password. */
    public static MemoryDirectory directory() {
        MemoryDirectory directory = new MemoryDirectory();
        var org = directory.createOrganization("org", false);
        directory.createMailbox(new Mailbox("x", org.id(), Address.parse("alice@a.example"), List.of(), "alice@a.example",
                PASSWORDS.hash(PASSWORD), 0));
        directory.createMailbox(new Mailbox("y", org.id(), Address.parse("nopass@a.example"), List.of(), "nopass@a.example", null, 0));
        return directory;
    }

    /**
     * The median time of each of {@code actions}, in nanoseconds, over nine rounds that run every
     * action once in turn, after one untimed warm-up round. Interleaving makes a change in the
     * machine's load (a GC, a busy neighbour, JIT compilation) hit every action alike, so comparing
     * the medians compares the actions, not the moments they ran at.
     */
    public static long[] interleavedMedians(Runnable... actions) {
        for (Runnable action : actions) action.run();
        int rounds = 9;
        long[][] nanos = new long[actions.length][rounds];
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < actions.length; i++) {
                long start = System.nanoTime();
                actions[i].run();
                nanos[i][round] = System.nanoTime() - start;
            }
        }
        long[] medians = new long[actions.length];
        for (int i = 0; i < actions.length; i++) {
            Arrays.sort(nanos[i]);
            medians[i] = nanos[i][rounds / 2];
        }
        return medians;
    }
}
