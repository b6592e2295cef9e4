package sluice.admin.auth;

import sluice.core.account.User;
import sluice.core.account.Users;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions, in memory: a restart logs everybody out, which is acceptable for an admin
 * console and keeps session state off the store. Ids are 256 random bits and kept only as SHA-256
 * digests. A session ends after {@link #IDLE} without a request or {@link #ABSOLUTE} after login,
 * whichever comes first; its user is read again on every request, so disabling or deleting the user
 * ends its sessions at once.
 */
public final class Sessions implements SessionAuthenticator {

    public static final Duration IDLE = Duration.ofMinutes(30);
    public static final Duration ABSOLUTE = Duration.ofHours(12);

    private final Users users;
    private final InstantSource clock;
    private final Map<String, Entry> byDigest = new ConcurrentHashMap<>();

    private static final class Entry {
        final String userId;
        final String csrfToken;
        final Instant createdAt;
        volatile Instant lastSeen;

        Entry(String userId, String csrfToken, Instant createdAt) {
            this.userId = userId;
            this.csrfToken = csrfToken;
            this.createdAt = createdAt;
            this.lastSeen = createdAt;
        }
    }

    /** A new session's id (the cookie value, never stored) and CSRF token. */
    public record Created(String id, String csrfToken) {
    }

    public Sessions(Users users, InstantSource clock) {
        this.users = users;
        this.clock = clock;
    }

    public Created create(User user) {
        Instant now = clock.instant();
        // Expired sessions are dropped here rather than by a timer: logins are rare, and this bounds the map.
        byDigest.values().removeIf(e -> expired(e, now));
        String id = Secrets.random();
        String csrf = Secrets.random();
        byDigest.put(Secrets.digest(id), new Entry(user.id(), csrf, now));
        return new Created(id, csrf);
    }

    @Override
    public Optional<Active> authenticate(String sessionId) {
        if (sessionId == null || sessionId.isEmpty()) return Optional.empty();
        String digest = Secrets.digest(sessionId);
        Entry entry = byDigest.get(digest);
        if (entry == null) return Optional.empty();
        Instant now = clock.instant();
        Optional<User> user = expired(entry, now) ? Optional.empty() : users.user(entry.userId).filter(User::enabled);
        if (user.isEmpty()) {
            byDigest.remove(digest);
            return Optional.empty();
        }
        entry.lastSeen = now;
        return Optional.of(new Active(Caller.of(user.get()), entry.csrfToken));
    }

    /** Ends the session (logout); unknown ids are ignored. */
    public void end(String sessionId) {
        if (sessionId != null) byDigest.remove(Secrets.digest(sessionId));
    }

    private static boolean expired(Entry e, Instant now) {
        return !now.isBefore(e.lastSeen.plus(IDLE)) || !now.isBefore(e.createdAt.plus(ABSOLUTE));
    }
}
