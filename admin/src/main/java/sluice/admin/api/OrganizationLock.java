package sluice.admin.api;

import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes changes that check one organization's objects against each other (a rule naming an
 * outbound connector, the connector's deletion), so a check and the write it allows are not split by
 * another request. Within this process only: nodes that share a store do not see each other's lock.
 *
 * <p>A fixed set of stripes, not a lock per id: the ids come from request bodies, and a map keyed by
 * them grew by one entry per invented id until the heap was gone. Two organizations may share a
 * stripe; that only makes their changes wait for each other. Callers take one stripe at a time (no
 * change holds two), so sharing cannot deadlock. Callers still lock only organizations that exist and
 * that the caller may change.
 */
final class OrganizationLock {

    static final int STRIPES = 64;
    private static final ReentrantLock[] LOCKS = new ReentrantLock[STRIPES];

    static {
        for (int i = 0; i < STRIPES; i++) LOCKS[i] = new ReentrantLock();
    }

    private OrganizationLock() {
    }

    static <T> T with(String organizationId, Supplier<T> change) {
        ReentrantLock lock = LOCKS[Math.floorMod(Objects.requireNonNull(organizationId, "organizationId").hashCode(), STRIPES)];
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }
}
