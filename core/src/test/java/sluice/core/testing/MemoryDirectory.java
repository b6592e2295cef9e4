package sluice.core.testing;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A directory in memory for core's unit tests. */
public final class MemoryDirectory implements Directory {

    private final Map<String, Organization> orgs = new ConcurrentHashMap<>();
    private final Map<String, AcceptedDomain> domains = new ConcurrentHashMap<>();
    private final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();

    @Override
    public Optional<AcceptedDomain> acceptedDomainFor(Domain domain) {
        for (AcceptedDomain d : domains.values()) if (d.domain().equals(domain)) return Optional.of(d);
        for (Domain p = domain.parent(); p != null; p = p.parent()) {
            for (AcceptedDomain d : domains.values()) if (d.domain().equals(p) && d.matchSubdomains()) return Optional.of(d);
        }
        return Optional.empty();
    }

    @Override
    public Optional<Mailbox> mailboxFor(Address address) {
        return mailboxes.values().stream().filter(m -> m.address().key().equals(address.key())
                || m.aliases().stream().anyMatch(a -> a.key().equals(address.key()))).findFirst();
    }

    @Override public List<Organization> organizations() { return List.copyOf(orgs.values()); }
    @Override public Optional<Organization> organization(String id) { return Optional.ofNullable(orgs.get(id)); }

    @Override
    public Organization createOrganization(String name, boolean rejectDirectSend) {
        Organization o = new Organization(UUID.randomUUID().toString(), name, rejectDirectSend);
        orgs.put(o.id(), o);
        return o;
    }

    @Override public Organization updateOrganization(Organization o) { orgs.put(o.id(), o); return o; }
    @Override public void deleteOrganization(String id) { orgs.remove(id); }

    @Override
    public List<AcceptedDomain> acceptedDomains(String organizationId) {
        return domains.values().stream().filter(d -> d.organizationId().equals(organizationId)).toList();
    }

    @Override public Optional<AcceptedDomain> acceptedDomain(String id) { return Optional.ofNullable(domains.get(id)); }

    @Override
    public AcceptedDomain createAcceptedDomain(String organizationId, Domain domain, AcceptedDomain.Type type, boolean matchSubdomains) {
        AcceptedDomain d = new AcceptedDomain(UUID.randomUUID().toString(), organizationId, domain, type, matchSubdomains);
        domains.put(d.id(), d);
        return d;
    }

    @Override public AcceptedDomain updateAcceptedDomain(AcceptedDomain d) { domains.put(d.id(), d); return d; }
    @Override public void deleteAcceptedDomain(String id) { domains.remove(id); }

    @Override
    public List<Mailbox> mailboxes(String organizationId) {
        return mailboxes.values().stream().filter(m -> m.organizationId().equals(organizationId)).toList();
    }

    @Override public Optional<Mailbox> mailbox(String id) { return Optional.ofNullable(mailboxes.get(id)); }

    @Override
    public Mailbox createMailbox(Mailbox m) {
        Mailbox stored = new Mailbox(UUID.randomUUID().toString(), m.organizationId(), m.address(), m.aliases(),
                m.displayName(), m.passwordHash(), m.quotaBytes());
        mailboxes.put(stored.id(), stored);
        return stored;
    }

    @Override public Mailbox updateMailbox(Mailbox m) { mailboxes.put(m.id(), m); return m; }
    @Override public void deleteMailbox(String id) { mailboxes.remove(id); }
}
