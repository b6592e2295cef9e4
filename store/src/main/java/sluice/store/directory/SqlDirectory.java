package sluice.store.directory;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;
import sluice.core.org.UnreadableRow;
import sluice.store.db.Dialect;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * The directory on SQL with an in-memory copy for the hot path: {@link #acceptedDomainFor} and
 * {@link #mailboxFor} never touch the database. Writes are rare (administrators), so they are
 * serialised by one lock: check against the cache, commit, then update the cache.
 *
 * <p>Invariants kept beyond the port's: deleting an organization that still has domains,
 * mailboxes or objects of another store ({@link #addDependents}: connectors) is a {@link Conflict} (nothing is deleted by surprise); every address of a mailbox must
 * lie in an accepted domain of the mailbox's own organization ({@link IllegalArgumentException}
 * otherwise), so a tenant cannot capture another tenant's mail; a domain whose removal or
 * change would orphan such an address is a {@link Conflict}; and a removed domain takes with it, in
 * the same transaction, the organization's objects of other stores that it alone vouched for
 * ({@link #addDomainDependents}: DKIM keys). Ids are random UUIDs; a mailbox given
 * with a blank id gets one.
 *
 * <p>A stored accepted domain, mailbox or alias this version cannot read (a name written before names were read as
 * strictly) is never routed to: it is listed as unreadable and deleted by its id (a domain not while readable addresses
 * of its organization that it alone covered remain: the name's next owner would get their mail, {@link Conflict}; for
 * the same reason no domain is taken or changed to newly cover another organization's mailbox; deleted, it takes its
 * organization's objects of its stored name with it as a readable domain does). Until then it counts against its
 * organization's deletion, and the name or addresses it holds in the database are a {@link Conflict} naming it, not a
 * unique violation.
 */
public final class SqlDirectory implements Directory {
    private final GroupCommitWriter writer;
    private final Dialect dialect;
    private final DirectoryCache cache = new DirectoryCache();
    private final ReentrantLock writes = new ReentrantLock();
    private final List<Dependents> dependents = new CopyOnWriteArrayList<>();
    private final List<DomainDependents> domainDependents = new CopyOnWriteArrayList<>();

    /** Objects of another store that belong to an organization and must be deleted before it. */
    private record Dependents(String what, ToIntFunction<String> count) {
    }

    /**
     * Objects of another store that belong to one accepted domain of an organization and go with it
     * (a DKIM key): the domain may be another organization's next, and what the former owner kept of
     * it would still act for it.
     */
    public interface DomainDependents {
        /**
         * Deletes the organization's objects of the domain stored as {@code name} in the transaction that deletes the
         * domain (the name as stored: an unreadable domain's may not read as a name).
         */
        void delete(java.sql.Connection c, String organizationId, String name) throws SQLException;

        /** Once that transaction is committed, under the directory's write lock: forget them in memory. */
        void deleted(String organizationId, String name);
    }

    public SqlDirectory(GroupCommitWriter writer, ReadPool readers, Dialect dialect) {
        this.writer = writer;
        this.dialect = dialect;
        readers.read(c -> {
            DirectoryRows.load(c, cache);
            return null;
        });
    }

    @Override public Optional<AcceptedDomain> acceptedDomainFor(Domain domain) { return cache.acceptedDomainFor(domain); }
    @Override public Optional<Mailbox> mailboxFor(Address address) { return cache.mailboxFor(address); }
    @Override public Optional<Organization> organization(String id) { return Optional.ofNullable(cache.organizations.get(id)); }
    @Override public Optional<AcceptedDomain> acceptedDomain(String id) { return Optional.ofNullable(cache.domainsById.get(id)); }
    @Override public Optional<Mailbox> mailbox(String id) { return Optional.ofNullable(cache.mailboxesById.get(id)); }
    @Override public List<AcceptedDomain> acceptedDomains(String organizationId) { return cache.domainsOf(organizationId); }
    @Override public List<Mailbox> mailboxes(String organizationId) { return cache.mailboxesOf(organizationId); }
    @Override public List<UnreadableRow> unreadableDomains() { return sorted(cache.unreadableDomains.values().stream()); }
    @Override public List<UnreadableRow> unreadableMailboxes() { return sorted(cache.unreadableMailboxes.values().stream()); }

    @Override
    public List<UnreadableRow> unreadableAliases(String mailboxId) {
        return sorted(cache.unreadableAliases.values().stream().filter(a -> a.mailboxId().equals(mailboxId))
                .map(DirectoryCache.UnreadableAlias::row));
    }

    private static List<UnreadableRow> sorted(java.util.stream.Stream<UnreadableRow> rows) {
        return rows.sorted(Comparator.comparing(UnreadableRow::id)).toList();
    }

    @Override
    public List<Organization> organizations() {
        return cache.organizations.values().stream().sorted(Comparator.comparing(o -> DirectoryRows.nameKey(o.name()))).toList();
    }

    @Override
    public Organization createOrganization(String name, boolean rejectDirectSend) {
        Organization o = new Organization(UUID.randomUUID().toString(), name == null ? null : name.strip(), rejectDirectSend);
        return locked(() -> {
            if (cache.organizationNameTaken(o.name(), null)) throw new Conflict("an organization named '" + o.name() + "' already exists");
            commit(c -> DirectoryRows.upsertOrganization(c, o, true));
            cache.organizations.put(o.id(), o);
            return o;
        });
    }

    @Override
    public Organization updateOrganization(Organization o) {
        return locked(() -> {
            existingOrganization(o.id());
            if (cache.organizationNameTaken(o.name(), o.id())) throw new Conflict("an organization named '" + o.name() + "' already exists");
            commit(c -> DirectoryRows.upsertOrganization(c, o, false));
            cache.organizations.put(o.id(), o);
            return o;
        });
    }

    @Override
    public void deleteOrganization(String id) {
        locked(() -> {
            existingOrganization(id);
            int domains = cache.domainsOf(id).size() + ofOrganization(cache.unreadableDomains, id),
                    mailboxes = cache.mailboxesOf(id).size() + ofOrganization(cache.unreadableMailboxes, id);
            if (domains + mailboxes > 0)
                throw new Conflict("organization " + id + " still has " + domains + " accepted domain(s) and "
                        + mailboxes + " mailbox(es); delete them first");
            for (Dependents d : dependents) {
                int n = d.count().applyAsInt(id);
                if (n > 0) throw new Conflict("organization " + id + " still has " + n + " " + d.what() + "; delete them first");
            }
            commit(c -> DirectoryRows.execute(c, "DELETE FROM organizations WHERE id = ?", id));
            cache.organizations.remove(id);
            return null;
        });
    }

    @Override
    public AcceptedDomain createAcceptedDomain(String organizationId, Domain domain, AcceptedDomain.Type type, boolean matchSubdomains) {
        AcceptedDomain d = new AcceptedDomain(UUID.randomUUID().toString(), organizationId, domain, type, matchSubdomains);
        return locked(() -> {
            existingOrganization(organizationId);
            checkDomainFree(d);
            commit(c -> DirectoryRows.upsertDomain(c, d, true));
            cache.putDomain(d);
            return d;
        });
    }

    @Override
    public AcceptedDomain updateAcceptedDomain(AcceptedDomain d) {
        return locked(() -> {
            AcceptedDomain old = existingDomain(d.id());
            if (!old.organizationId().equals(d.organizationId()))
                throw new IllegalArgumentException("an accepted domain cannot move to another organization; delete and re-create it");
            checkDomainFree(d);
            checkMailboxesCovered(d.organizationId(), domainsWith(d), a -> true, "changing " + old.domain());
            commit(c -> DirectoryRows.upsertDomain(c, d, false));
            cache.putDomain(d);
            return d;
        });
    }

    @Override
    public void deleteAcceptedDomain(String id) {
        locked(() -> {
            UnreadableRow unreadable = cache.unreadableDomains.get(id);
            if (unreadable != null) { // nothing routes by it, yet what its organization kept of its name goes with it
                checkNoAddressLeftTo(unreadable);
                deleteDomainRow(id, unreadable.organizationId(), unreadable.storedName());
                cache.removeUnreadableDomain(id);
                return null;
            }
            AcceptedDomain old = existingDomain(id);
            Map<String, AcceptedDomain> after = new HashMap<>(cache.domainsByName);
            after.remove(old.domain().name());
            checkMailboxesCovered(old.organizationId(), after, a -> true, "removing " + old.domain());
            deleteDomainRow(id, old.organizationId(), old.domain().name());
            cache.removeDomain(old);
            return null;
        });
    }

    /** Deletes the domain's row and, in the same transaction, the organization's objects of its stored name. */
    private void deleteDomainRow(String id, String organizationId, String name) {
        commit(c -> {
            DirectoryRows.execute(c, "DELETE FROM accepted_domains WHERE id = ?", id);
            for (DomainDependents d : domainDependents) d.delete(c, organizationId, name);
        });
        domainDependents.forEach(d -> d.deleted(organizationId, name));
    }

    @Override
    public Mailbox createMailbox(Mailbox mailbox) {
        Mailbox m = mailbox.id().isBlank() ? new Mailbox(UUID.randomUUID().toString(), mailbox.organizationId(), mailbox.address(),
                mailbox.aliases(), mailbox.displayName(), mailbox.passwordHash(), mailbox.quotaBytes()) : mailbox;
        return locked(() -> {
            existingOrganization(m.organizationId());
            if (cache.mailboxesById.containsKey(m.id())) throw new Conflict("mailbox id " + m.id() + " is already taken");
            if (cache.unreadableMailboxes.containsKey(m.id())) throw new Conflict("mailbox id " + m.id() + " is already taken");
            checkAddresses(m);
            commit(c -> DirectoryRows.upsertMailbox(c, m, true, List.of()));
            cache.putMailbox(m);
            return m;
        });
    }

    @Override
    public Mailbox updateMailbox(Mailbox m) {
        return locked(() -> {
            Mailbox old = cache.mailboxesById.get(m.id());
            if (old == null) throw new NotFound("no mailbox " + m.id());
            if (!old.organizationId().equals(m.organizationId()))
                throw new IllegalArgumentException("a mailbox cannot move to another organization");
            checkAddresses(m);
            List<String> unreadable = unreadableAliases(m.id()).stream().map(UnreadableRow::id).toList();
            commit(c -> DirectoryRows.upsertMailbox(c, m, false, unreadable));
            cache.putMailbox(m);
            return m;
        });
    }

    @Override
    public void deleteMailbox(String id) {
        locked(() -> {
            if (cache.unreadableMailboxes.containsKey(id)) { // its addresses go with it (ON DELETE CASCADE)
                commit(c -> DirectoryRows.execute(c, "DELETE FROM mailboxes WHERE id = ?", id));
                cache.removeUnreadableMailbox(id);
                return null;
            }
            Mailbox old = cache.mailboxesById.get(id);
            if (old == null) throw new NotFound("no mailbox " + id);
            commit(c -> DirectoryRows.execute(c, "DELETE FROM mailboxes WHERE id = ?", id));
            cache.removeMailbox(old);
            return null;
        });
    }

    @Override
    public void deleteUnreadableAlias(String mailboxId, String id) {
        locked(() -> {
            DirectoryCache.UnreadableAlias a = cache.unreadableAliases.get(id);
            if (a == null || !a.mailboxId().equals(mailboxId)) throw new NotFound("mailbox " + mailboxId + " has no unreadable alias " + id);
            commit(c -> DirectoryRows.execute(c, "DELETE FROM mailbox_addresses WHERE mailbox_id = ? AND address_key = ?", mailboxId, id));
            cache.unreadableAliases.remove(id);
            return null;
        });
    }

    /**
     * Registers per-organization objects kept by another store (connectors): deleting an organization
     * for which {@code count} is positive is a {@link Conflict} naming {@code what}.
     */
    public void addDependents(String what, ToIntFunction<String> count) {
        dependents.add(new Dependents(what, count));
    }

    /** Registers objects of another store that are deleted with their accepted domain. */
    public void addDomainDependents(DomainDependents d) {
        domainDependents.add(d);
    }

    /**
     * Runs {@code change} under the directory's write lock once the organization is known to exist
     * ({@link NotFound} otherwise), so the organization cannot be deleted while another store adds an
     * object that belongs to it.
     */
    public <T> T withOrganization(String organizationId, java.util.function.Supplier<T> change) {
        return locked(() -> {
            existingOrganization(organizationId);
            return change.get();
        });
    }

    private void existingOrganization(String id) {
        if (!cache.organizations.containsKey(id)) throw new NotFound("no organization " + id);
    }

    private AcceptedDomain existingDomain(String id) {
        AcceptedDomain d = cache.domainsById.get(id);
        if (d == null) throw new NotFound("no accepted domain " + id);
        return d;
    }

    private void checkDomainFree(AcceptedDomain d) {
        // the stored name, not what it reads as: the database's unique index compares it as stored
        cache.unreadableDomains.values().stream().filter(u -> d.domain().name().equals(u.storedName())).findFirst().ifPresent(u -> {
            throw new Conflict(d.domain() + " is held by " + heldBy("the accepted domain " + u.id(), u, d.organizationId()));
        });
        AcceptedDomain holder = cache.domainsByName.get(d.domain().name());
        if (holder != null && !holder.id().equals(d.id()))
            throw new Conflict(holder.organizationId().equals(d.organizationId())
                    ? d.domain() + " is already an accepted domain of this organization"
                    : d.domain() + " is already an accepted domain of another organization");
        checkNoOtherOrganizationsAddresses(d);
    }

    /**
     * A domain that would newly cover an address of another organization's mailbox (left without its own domain, as
     * an older version or another node may leave it) is not this organization's to take: mail to the address would
     * still reach that mailbox. What the domain covered already is not refused again, or its owner could change
     * nothing of it; and the refusal does not tell whose the addresses are.
     */
    private void checkNoOtherOrganizationsAddresses(AcceptedDomain d) {
        Map<String, AcceptedDomain> after = domainsWith(d);
        for (Mailbox m : cache.mailboxesById.values()) {
            if (m.organizationId().equals(d.organizationId())) continue;
            boolean covered = DirectoryCache.addresses(m).anyMatch(a -> a.domain().isWithin(d.domain())
                    && coveredBy(d, a, after) && !coveredBy(d, a, cache.domainsByName));
            if (covered) throw new Conflict(d.domain() + " would cover addresses the directory holds elsewhere;"
                    + " an operator must remove them first");
        }
    }

    private static boolean coveredBy(AcceptedDomain d, Address a, Map<String, AcceptedDomain> domains) {
        return DirectoryCache.covering(a.domain().name(), domains).filter(c -> c.id().equals(d.id())).isPresent();
    }

    /** The accepted domains by name as they would be once {@code d} is added, or replaces its former version. */
    private Map<String, AcceptedDomain> domainsWith(AcceptedDomain d) {
        Map<String, AcceptedDomain> after = new HashMap<>(cache.domainsByName);
        AcceptedDomain old = cache.domainsById.get(d.id());
        if (old != null) after.remove(old.domain().name());
        after.put(d.domain().name(), d);
        return after;
    }

    private void checkAddresses(Mailbox m) {
        Set<String> own = new HashSet<>();
        for (Address a : DirectoryCache.addresses(m).toList()) {
            if (!own.add(a.key())) throw new IllegalArgumentException("address " + a + " is listed twice");
            Mailbox holder = cache.mailboxesByAddress.get(a.key());
            if (holder != null && !holder.id().equals(m.id())) throw new Conflict("address " + a + " is already in use by another mailbox");
            checkNotHeldByUnreadable(a, m.organizationId());
            Optional<AcceptedDomain> d = DirectoryCache.covering(a.domain().name(), cache.domainsByName);
            if (d.isEmpty() || !d.get().organizationId().equals(m.organizationId()))
                throw new IllegalArgumentException("address " + a + " is not in an accepted domain of organization " + m.organizationId());
        }
    }

    /** The address keys the database holds for rows that could not be read are taken until those rows are deleted. */
    private void checkNotHeldByUnreadable(Address a, String organizationId) {
        String mailboxId = cache.keysOfUnreadableMailboxes.get(a.key());
        DirectoryCache.UnreadableAlias alias = cache.unreadableAliases.get(a.key());
        if (mailboxId == null && alias == null) return;
        UnreadableRow holder = mailboxId != null ? cache.unreadableMailboxes.get(mailboxId) : alias.row();
        String which = mailboxId != null ? "the mailbox " + mailboxId : "an alias of the mailbox " + alias.mailboxId();
        throw new Conflict("address " + a + " is held by " + heldBy(which, holder, organizationId));
    }

    /** Names the unreadable holder {@code which} and why it could not be read, unless it is another organization's. */
    static String heldBy(String which, UnreadableRow holder, String organizationId) {
        if (!holder.organizationId().equals(organizationId))
            return "an object of another organization that could not be read when the server started; its administrators must delete it";
        return which + ", stored by an older version, which could not be read when the server started (" + holder.reason()
                + "); delete it first";
    }

    private static int ofOrganization(Map<String, UnreadableRow> rows, String organizationId) {
        return (int) rows.values().stream().filter(u -> u.organizationId().equals(organizationId)).count();
    }

    /**
     * An unreadable domain routes nothing, yet the readable addresses of its organization in its stored name (or below
     * it, when stored with matchSubdomains) may have no other accepted domain: deleted, it would leave them to whoever
     * adds the name next, whose mail would still find them.
     */
    private void checkNoAddressLeftTo(UnreadableRow domain) {
        Optional<Domain> name = readable(domain.storedName());
        if (name.isEmpty()) return; // no readable address lies in a name that cannot be read
        boolean subdomains = cache.unreadableDomainsMatchingSubdomains.contains(domain.id());
        checkMailboxesCovered(domain.organizationId(), cache.domainsByName,
                a -> subdomains ? a.domain().isWithin(name.get()) : a.domain().equals(name.get()),
                "removing the accepted domain " + domain.id() + " (" + domain.storedName() + ")");
    }

    private static Optional<Domain> readable(String storedName) {
        try {
            return Optional.of(new Domain(storedName));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void checkMailboxesCovered(String organizationId, Map<String, AcceptedDomain> domainsAfter, Predicate<Address> checked,
                                       String change) {
        for (Mailbox m : cache.mailboxesOf(organizationId))
            for (Address a : DirectoryCache.addresses(m).filter(checked).toList()) {
                Optional<AcceptedDomain> d = DirectoryCache.covering(a.domain().name(), domainsAfter);
                if (d.isEmpty() || !d.get().organizationId().equals(organizationId))
                    throw new Conflict(change + " would leave address " + a + " of mailbox " + m.id() + " without an accepted domain");
            }
    }

    private interface Change {
        void apply(java.sql.Connection c) throws SQLException;
    }

    /** Commits one change; a unique violation the cache did not foresee (another node) is a Conflict. */
    private void commit(Change change) {
        writer.write(dialect.refusingDuplicates(c -> {
            change.apply(c);
            return null;
        }, Conflict::new));
    }

    private <T> T locked(java.util.function.Supplier<T> body) {
        writes.lock();
        try {
            return body.get();
        } finally {
            writes.unlock();
        }
    }
}
