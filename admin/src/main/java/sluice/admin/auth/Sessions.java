package sluice.admin.auth;

import sluice.core.account.User;
import sluice.core.account.Users;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Browser sessions, in memory: a restart logs everybody out, which is acceptable for an admin
 * console and keeps session state off the store. Ids are 256 random bits and kept only as SHA-256
 * digests. A session ends after {@link #IDLE} without a request or {@link #ABSOLUTE} after login,
 * whichever comes first; its user is read again on every request, so a disabled or deleted user's
 * sessions stop at once, and so do they after a change of the user's password (by whoever, through whatever
 * path): a session remembers the password it was opened with, and one opened with an old password is
 * over. Disabling or deleting an account through the API also ends its sessions ({@link #endAll}), so that
 * enabling it again does not bring them back; enabling it ends them again, for a login that read the account
 * before the disable may open its session after. Whoever changes their own password keeps the session they did it in ({@link #keepAfterPasswordChange}).
 *
 * <p>One user has at most {@link #MAX_PER_USER} sessions: a login beyond that ends the user's least recently
 * used one, so that logging in over and over (a script, or a user with a valid password bent on it) cannot
 * fill the memory, while the sessions in use go on.
 */
public final class Sessions implements SessionAuthenticator {

    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);
    public static final int MAX_PER_USER = 20;

    private final Users users;
    private final InstantSource clock;
    private final Map<String, Entry> byDigest = new ConcurrentHashMap<>();
    /** Orders the uses of sessions (the clock may stand still): the entry with the lowest {@link Entry#lastUse} is the least recent. */
    private final AtomicLong uses = new AtomicLong();

    private static final class Entry {
        final String userId;
        final String csrfToken;
        final Instant createdAt;
        volatile Instant lastSeen;
        volatile long lastUse;
        /** A digest of the user's password hash at login (not the hash itself); null for no password. */
        volatile String passwordStamp;

        Entry(String userId, String csrfToken, Instant createdAt, String passwordStamp) {
            this.userId = userId;
            this.csrfToken = csrfToken;
            this.createdAt = createdAt;
            this.lastSeen = createdAt;
            this.passwordStamp = passwordStamp;
        }

        void use(Instant now, long use) {
            lastSeen = now;
            lastUse = use;
        }
    }

    /** A new session's id (the cookie value, never stored) and CSRF token. */
    public record Created(String id, String csrfToken) {
    }

    public Sessions(Users users, InstantSource clock) {
        this.users = users;
        this.clock = clock;
    }

    /** Synchronized so that logins at once cannot each find room for one more session of the user. */
    public synchronized Created create(User user) {
        Instant now = clock.instant();
        // Expired sessions are dropped here rather than by a timer: logins are rare, and this bounds the map.
        byDigest.values().removeIf(e -> expired(e, now));
        List<Map.Entry<String, Entry>> own = byDigest.entrySet().stream().filter(e -> e.getValue().userId.equals(user.id()))
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUse)).toList();
        // Room for the new one: the user's least recently used sessions end.
        own.subList(0, Math.max(0, own.size() - MAX_PER_USER + 1)).forEach(e -> byDigest.remove(e.getKey()));
        String id = Secrets.random();
        String csrf = Secrets.random();
        Entry entry = new Entry(user.id(), csrf, now, stamp(user));
        entry.use(now, uses.incrementAndGet());
        byDigest.put(Secrets.digest(id), entry);
        return new Created(id, csrf);
    }

    @Override
    public Optional<Active> authenticate(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) return Optional.empty();
        String digest = Secrets.digest(sessionId);
        Entry entry = byDigest.get(digest);
        if (entry == null) return Optional.empty();
        Instant now = clock.instant();
        Optional<User> user = expired(entry, now) ? Optional.empty() : users.user(entry.userId).filter(User::enabled)
                .filter(u -> Objects.equals(stamp(u), entry.passwordStamp));
        if (user.isEmpty()) {
            byDigest.remove(digest);
            return Optional.empty();
        }
        entry.use(now, uses.incrementAndGet());
        return Optional.of(new Active(Caller.of(user.get()), entry.csrfToken));
    }

    /** Ends every session of the user {@code userId} (its account was disabled or deleted). */
    public void endAll(String userId) {
        byDigest.values().removeIf(e -> e.userId.equals(userId));
    }

    /** Ends the session (logout); unknown ids are ignored. */
    public void end(String sessionId) {
        if (sessionId != null) byDigest.remove(Secrets.digest(sessionId));
    }

    /**
     * The session {@code sessionId}, if it is one of {@code user}'s, goes on under the user's new
     * password: the one session the user changed their password in. Every other session of the user
     * ends at its next request.
     */
    public void keepAfterPasswordChange(String sessionId, User user) {
        if (sessionId == null) return;
        Entry entry = byDigest.get(Secrets.digest(sessionId));
        if (entry != null && entry.userId.equals(user.id())) entry.passwordStamp = stamp(user);
    }

    private static String stamp(User user) {
        return user.passwordHash() == null ? null : Secrets.digest(user.passwordHash());
    }

    private static boolean expired(Entry e, Instant now) {
        return !now.isBefore(e.lastSeen.plus(IDLE)) || !now.isBefore(e.createdAt.plus(ABSOLUTE));
    }
}
