package sluice.admin.api;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serializes changes that check one organization's objects against each other (a rule naming an
 * outbound connector, the connector's deletion), so a check and the write it allows are not split by
 * another request. Within this process only: nodes that share a store do not see each other's lock.
 */
final class OrganizationLock {

    private static final ConcurrentHashMap<String, ReentrantLock> LOCKS = new ConcurrentHashMap<>();

    private OrganizationLock() {
    }

    static <T> T with(String organizationId, Supplier<T> change) {
        ReentrantLock lock = LOCKS.computeIfAbsent(organizationId == null ? "" : organizationId, id -> new ReentrantLock());
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
    }
}
