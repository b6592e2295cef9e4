package sluice.core.testing;

import sluice.core.mail.Domain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.DkimSigningKeys;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DKIM keys in memory for tests. It does not know the directory: keys for domains their organization
 * does not hold are the stores' to refuse, and tests here may want them.
 */
public final class MemoryDkimKeys implements DkimSigningKeys {
    private final Map<String, DkimSigningKey> keys = new ConcurrentHashMap<>();

    @Override
    public List<DkimSigningKey> keys(String org) {
        return keys.values().stream().filter(k -> k.organizationId().equals(org))
                .sorted(Comparator.comparing(DkimSigningKey::createdAt)).toList();
    }

    @Override public Optional<DkimSigningKey> key(String id) { return Optional.ofNullable(keys.get(id)); }

    @Override
    public Optional<DkimSigningKey> activeFor(String org, Domain d) {
        return keys.values().stream().filter(k -> k.enabled() && k.organizationId().equals(org) && k.domain().equals(d))
                .max(Comparator.comparing(DkimSigningKey::createdAt));
    }

    @Override
    public DkimSigningKey create(DkimSigningKey k) {
        DkimSigningKey stored = new DkimSigningKey(UUID.randomUUID().toString(), k.organizationId(), k.domain(), k.selector(),
                k.keyType(), k.privateKeyPem(), k.dnsRecord(), k.enabled(), k.createdAt());
        keys.put(stored.id(), stored);
        return stored;
    }

    @Override
    public DkimSigningKey update(DkimSigningKey k) {
        DkimSigningKey current = keys.get(k.id());
        if (current == null) throw new Directory.NotFound("no key");
        DkimSigningKey changed = current.withEnabled(k.enabled());
        keys.put(changed.id(), changed);
        return changed;
    }

    @Override
    public void delete(String id) {
        if (keys.remove(id) == null) throw new Directory.NotFound("no key");
    }
}
