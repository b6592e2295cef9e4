package sluice.admin.testing;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A {@link Directory} in maps, with the store's uniqueness rules: org names, domains, addresses. */
public final class InMemoryDirectory implements Directory {

    private final Map<String, Organization> organizations = new LinkedHashMap<>();
    private final Map<String, AcceptedDomain> domains = new LinkedHashMap<>();
    private final Map<String, Mailbox> mailboxes = new LinkedHashMap<>();
    /**
     * Called with each deleted accepted domain, in the deletion: the SQL store deletes what other stores
     * keep of the domain (the organization's DKIM keys) in the domain's own transaction.
     */
    public volatile Consumer<AcceptedDomain> domainDependents = d -> { };

    @Override
    public synchronized Optional<AcceptedDomain> acceptedDomainFor(Domain domain) {
        for (Domain d = domain; d != null; d = d.parent()) {
            Domain candidate = d;
            Optional<AcceptedDomain> found = domains.values().stream().filter(a -> a.domain().equals(candidate)).findFirst();
            if (found.isPresent() && (candidate.equals(domain) || found.get().matchSubdomains())) return found;
        }
        return Optional.empty();
    }

    @Override
    public synchronized Optional<Mailbox> mailboxFor(Address address) {
        return mailboxes.values().stream().filter(m -> addresses(m).anyMatch(a -> a.key().equals(address.key()))).findFirst();
    }

    @Override
    public synchronized List<Organization> organizations() {
        return List.copyOf(organizations.values());
    }

    @Override
    public synchronized Optional<Organization> organization(String id) {
        return Optional.ofNullable(organizations.get(id));
    }

    @Override
    public synchronized Organization createOrganization(String name, boolean rejectDirectSend) {
        requireUniqueName(name, null);
        Organization o = new Organization(UUID.randomUUID().toString(), name, rejectDirectSend);
        organizations.put(o.id(), o);
        return o;
    }

    @Override
    public synchronized Organization updateOrganization(Organization organization) {
        requireExists(organizations, organization.id(), "organization");
        requireUniqueName(organization.name(), organization.id());
        organizations.put(organization.id(), organization);
        return organization;
    }

    @Override
    public synchronized void deleteOrganization(String id) {
        requireExists(organizations, id, "organization");
        organizations.remove(id);
    }

    @Override
    public synchronized List<AcceptedDomain> acceptedDomains(String organizationId) {
        return domains.values().stream().filter(d -> d.organizationId().equals(organizationId)).toList();
    }

    @Override
    public synchronized Optional<AcceptedDomain> acceptedDomain(String id) {
        return Optional.ofNullable(domains.get(id));
    }

    @Override
    public synchronized AcceptedDomain createAcceptedDomain(String organizationId, Domain domain, AcceptedDomain.Type type, boolean matchSubdomains) {
        requireExists(organizations, organizationId, "organization");
        if (domains.values().stream().anyMatch(d -> d.domain().equals(domain)))
            throw new Conflict("The domain " + domain + " is already an accepted domain.");
        AcceptedDomain d = new AcceptedDomain(UUID.randomUUID().toString(), organizationId, domain, type, matchSubdomains);
        domains.put(d.id(), d);
        return d;
    }

    @Override
    public synchronized AcceptedDomain updateAcceptedDomain(AcceptedDomain domain) {
        requireExists(domains, domain.id(), "accepted domain");
        domains.put(domain.id(), domain);
        return domain;
    }

    @Override
    public synchronized void deleteAcceptedDomain(String id) {
        requireExists(domains, id, "accepted domain");
        domainDependents.accept(domains.remove(id));
    }

    @Override
    public synchronized List<Mailbox> mailboxes(String organizationId) {
        return mailboxes.values().stream().filter(m -> m.organizationId().equals(organizationId)).toList();
    }

    @Override
    public synchronized Optional<Mailbox> mailbox(String id) {
        return Optional.ofNullable(mailboxes.get(id));
    }

    @Override
    public synchronized Mailbox createMailbox(Mailbox mailbox) {
        if (mailboxes.containsKey(mailbox.id())) throw new Conflict("mailbox id " + mailbox.id() + " exists");
        requireExists(organizations, mailbox.organizationId(), "organization");
        requireFreeAddresses(mailbox);
        mailboxes.put(mailbox.id(), mailbox);
        return mailbox;
    }

    @Override
    public synchronized Mailbox updateMailbox(Mailbox mailbox) {
        requireExists(mailboxes, mailbox.id(), "mailbox");
        requireFreeAddresses(mailbox);
        mailboxes.put(mailbox.id(), mailbox);
        return mailbox;
    }

    @Override
    public synchronized void deleteMailbox(String id) {
        requireExists(mailboxes, id, "mailbox");
        mailboxes.remove(id);
    }

    private void requireUniqueName(String name, String exceptId) {
        if (organizations.values().stream().anyMatch(o -> o.name().equalsIgnoreCase(name) && !o.id().equals(exceptId)))
            throw new Conflict("An organization named " + name + " already exists.");
    }

    private void requireFreeAddresses(Mailbox mailbox) {
        List<String> taken = new ArrayList<>();
        for (Mailbox other : mailboxes.values()) {
            if (other.id().equals(mailbox.id())) continue;
            addresses(mailbox).filter(a -> addresses(other).anyMatch(b -> b.key().equals(a.key())))
                    .forEach(a -> taken.add(a.toString()));
        }
        if (!taken.isEmpty()) throw new Conflict("Another mailbox already has " + String.join(", ", taken) + ".");
    }

    private static Stream<Address> addresses(Mailbox m) {
        return Stream.concat(Stream.of(m.address()), m.aliases().stream());
    }

    private static void requireExists(Map<String, ?> map, String id, String what) {
        if (!map.containsKey(id)) throw new NotFound("There is no " + what + " with id " + id + ".");
    }
}
