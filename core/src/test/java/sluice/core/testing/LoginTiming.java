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
     * The median of five runs of {@code action} after one untimed warm-up run, in nanoseconds: the
     * first call's JIT compilation and one slow run (a GC, a busy neighbour) do not count.
     */
    public static long medianNanos(Runnable action) {
        action.run();
        long[] nanos = new long[5];
        for (int i = 0; i < nanos.length; i++) {
            long start = System.nanoTime();
            action.run();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return nanos[nanos.length / 2];
    }
}
