package sluice.core.org;

import sluice.core.mail.Address;
import sluice.core.mail.Domain;

import java.util.List;
import java.util.Optional;

/**
 * The directory: organizations, accepted domains and mailboxes. Reads are on the hot path of every
 * RCPT, so implementations answer them from memory and keep that view consistent with writes.
 * Writes throw {@link Conflict} when a unique name or address is already taken and
 * {@link NotFound} when the object to change does not exist.
 */
public interface Directory {

    /** The accepted domain that covers {@code domain}: exact, else the nearest InternalRelay parent with matchSubdomains. */
    Optional<AcceptedDomain> acceptedDomainFor(Domain domain);

    /** The mailbox whose primary address or an alias is {@code address} (case-insensitive local part). */
    Optional<Mailbox> mailboxFor(Address address);

    List<Organization> organizations();
    Optional<Organization> organization(String id);
    Organization createOrganization(String name, boolean rejectDirectSend);
    Organization updateOrganization(Organization organization);
    void deleteOrganization(String id);

    List<AcceptedDomain> acceptedDomains(String organizationId);
    Optional<AcceptedDomain> acceptedDomain(String id);
    AcceptedDomain createAcceptedDomain(String organizationId, Domain domain, AcceptedDomain.Type type, boolean matchSubdomains);
    AcceptedDomain updateAcceptedDomain(AcceptedDomain domain);
    void deleteAcceptedDomain(String id);

    List<Mailbox> mailboxes(String organizationId);
    Optional<Mailbox> mailbox(String id);
    Mailbox createMailbox(Mailbox mailbox);
    Mailbox updateMailbox(Mailbox mailbox);
    void deleteMailbox(String id);

    final class Conflict extends RuntimeException {
        public Conflict(String message) { super(message); }
    }

    final class NotFound extends RuntimeException {
        public NotFound(String message) { super(message); }
    }
}
