package sluice.admin.auth;

import sluice.core.org.Passwords;

import java.util.concurrent.Semaphore;

/**
 * Administrator passwords: Argon2id through {@link Passwords}, at most two hashes at a time (each takes
 * ~19 MiB and tens of milliseconds; a burst of logins must not take the heap). Verifying against a
 * missing hash still runs one full Argon2id against a dummy, so a login for an unknown user takes as
 * long as one with a wrong password and does not reveal which usernames exist.
 */
public final class Credentials {

    public static final int MIN_PASSWORD = 12;
    public static final int MAX_PASSWORD = 256;

    private final Passwords passwords;
    private final Semaphore hashing = new Semaphore(2);
    private final String dummy;

    public Credentials(Passwords passwords) {
        this.passwords = passwords;
        this.dummy = passwords.hash(Secrets.random());
    }

    public String hash(String password) {
        hashing.acquireUninterruptibly();
        try {
            return passwords.hash(password);
        } finally {
            hashing.release();
        }
    }

    /** True when {@code password} matches {@code hash}; false, after the same work, when hash is null. */
    public boolean verify(String password, String hash) {
        hashing.acquireUninterruptibly();
        try {
            boolean ok = passwords.verify(password == null ? "" : password, hash == null ? dummy : hash);
            return ok && hash != null && password != null;
        } finally {
            hashing.release();
        }
    }

    /** True when a stored hash is weaker than what we produce now, so a login can upgrade it. */
    public boolean needsRehash(String hash) {
        return passwords.needsRehash(hash);
    }

    /** The password rule as a sentence, or null when it is acceptable. Never mentions the value. */
    public static String problem(String password) {
        if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD)
            return "must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters";
        if (password.isBlank()) return "must not be blank";
        return null;
    }
}
