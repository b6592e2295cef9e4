package sluice.store.directory;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;
import sluice.core.org.UnreadableRow;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The in-memory view of the directory that answers every RCPT without SQL. Mutated only by
 * {@link SqlDirectory} under its write lock and only after the SQL commit succeeded, so it never
 * shows a change the database does not have. Readers need no lock: each map is concurrent, and a
 * reader racing an update sees the old or the new object, never a torn one.
 *
 * <p>Rows an older version wrote that cannot be read now are kept apart, out of the maps mail is routed by: they
 * are listed and deleted by id, and the addresses they hold in the database stay taken until then.
 */
final class DirectoryCache {
    final Map<String, Organization> organizations = new ConcurrentHashMap<>();
    final Map<String, AcceptedDomain> domainsById = new ConcurrentHashMap<>();
    /** Keyed by canonical domain name. */
    final Map<String, AcceptedDomain> domainsByName = new ConcurrentHashMap<>();
    final Map<String, Mailbox> mailboxesById = new ConcurrentHashMap<>();
    /** Keyed by {@link Address#key()} of the primary address and of every alias. */
    final Map<String, Mailbox> mailboxesByAddress = new ConcurrentHashMap<>();
    final Map<String, UnreadableRow> unreadableDomains = new ConcurrentHashMap<>();
    /** The ids of the unreadable domains stored with matchSubdomains: they covered the subdomains of their name. */
    final Set<String> unreadableDomainsMatchingSubdomains = ConcurrentHashMap.newKeySet();
    final Map<String, UnreadableRow> unreadableMailboxes = new ConcurrentHashMap<>();
    /** Every address key stored for an unreadable mailbox (its primary and its aliases), to the mailbox's id. */
    final Map<String, String> keysOfUnreadableMailboxes = new ConcurrentHashMap<>();
    /** Unreadable aliases of readable mailboxes, by the address key they are stored under. */
    final Map<String, UnreadableAlias> unreadableAliases = new ConcurrentHashMap<>();

    /** An alias of the readable mailbox {@code mailboxId} that cannot be read; the row's id is its address key. */
    record UnreadableAlias(String mailboxId, UnreadableRow row) {
    }

    /** Exact match, else the nearest parent that is InternalRelay with matchSubdomains. */
    static Optional<AcceptedDomain> covering(String domain, Map<String, AcceptedDomain> byName) {
        AcceptedDomain exact = byName.get(domain);
        if (exact != null) return Optional.of(exact);
        for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
            AcceptedDomain parent = byName.get(domain.substring(dot + 1));
            if (parent != null && parent.type() == AcceptedDomain.Type.INTERNAL_RELAY && parent.matchSubdomains())
                return Optional.of(parent);
        }
        return Optional.empty();
    }

    Optional<AcceptedDomain> acceptedDomainFor(Domain domain) {
        return covering(domain.name(), domainsByName);
    }

    Optional<Mailbox> mailboxFor(Address address) {
        return Optional.ofNullable(mailboxesByAddress.get(address.key()));
    }

    boolean organizationNameTaken(String name, String exceptId) {
        String key = DirectoryRows.nameKey(name);
        return organizations.values().stream()
                .anyMatch(o -> DirectoryRows.nameKey(o.name()).equals(key) && !o.id().equals(exceptId));
    }

    List<AcceptedDomain> domainsOf(String organizationId) {
        return domainsById.values().stream().filter(d -> d.organizationId().equals(organizationId))
                .sorted(Comparator.comparing(d -> d.domain().name())).toList();
    }

    List<Mailbox> mailboxesOf(String organizationId) {
        return mailboxesById.values().stream().filter(m -> m.organizationId().equals(organizationId))
                .sorted(Comparator.comparing(m -> m.address().key())).toList();
    }

    void putDomain(AcceptedDomain d) {
        AcceptedDomain old = domainsById.put(d.id(), d);
        if (old != null && !old.domain().equals(d.domain())) domainsByName.remove(old.domain().name());
        domainsByName.put(d.domain().name(), d);
    }

    void removeDomain(AcceptedDomain d) {
        domainsByName.remove(d.domain().name());
        domainsById.remove(d.id());
    }

    void putMailbox(Mailbox m) {
        Mailbox old = mailboxesById.put(m.id(), m);
        // New keys first, stale keys after: a concurrent RCPT for an address kept across the update
        // always finds the mailbox.
        addresses(m).forEach(a -> mailboxesByAddress.put(a.key(), m));
        // Identity, not equals: keys the new version kept now map to the new instance and stay.
        if (old != null)
            addresses(old).forEach(a -> mailboxesByAddress.computeIfPresent(a.key(), (k, v) -> v == old ? null : v));
    }

    void removeUnreadableDomain(String id) {
        unreadableDomains.remove(id);
        unreadableDomainsMatchingSubdomains.remove(id);
    }

    void removeUnreadableMailbox(String id) {
        unreadableMailboxes.remove(id);
        keysOfUnreadableMailboxes.values().removeIf(id::equals);
    }

    void removeMailbox(Mailbox m) {
        unreadableAliases.values().removeIf(a -> a.mailboxId().equals(m.id()));
        mailboxesById.remove(m.id());
        addresses(m).forEach(a -> mailboxesByAddress.remove(a.key()));
    }

    static Stream<Address> addresses(Mailbox m) {
        return Stream.concat(Stream.of(m.address()), m.aliases().stream());
    }
}
