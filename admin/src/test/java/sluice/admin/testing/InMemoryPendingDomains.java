package sluice.admin.testing;

import sluice.core.org.Directory;
import sluice.core.org.PendingDomains;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** {@link PendingDomains} in memory, with the store's per-organization rules. */
public final class InMemoryPendingDomains implements PendingDomains {

    private final Map<String, PendingDomain> byId = new ConcurrentHashMap<>();

    @Override
    public List<PendingDomain> pending(String organizationId) {
        return byId.values().stream().filter(d -> d.organizationId().equals(organizationId))
                .sorted(Comparator.comparing(d -> d.domain().name())).toList();
    }

    @Override
    public Optional<PendingDomain> pendingDomain(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized PendingDomain create(PendingDomain d) {
        PendingDomains.checkRoomFor(d, pending(d.organizationId()));
        PendingDomain created = new PendingDomain(UUID.randomUUID().toString(), d.organizationId(), d.domain(), d.type(),
                d.matchSubdomains(), d.token(), d.createdAt());
        byId.put(created.id(), created);
        return created;
    }

    @Override
    public void delete(String id) {
        if (byId.remove(id) == null) throw new Directory.NotFound("no pending domain " + id);
    }
}
