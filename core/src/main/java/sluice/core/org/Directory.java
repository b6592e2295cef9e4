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
    /** Deletes the accepted domain, or the {@link #unreadableDomains unreadable} one, with this id. */
    void deleteAcceptedDomain(String id);

    List<Mailbox> mailboxes(String organizationId);
    Optional<Mailbox> mailbox(String id);
    Mailbox createMailbox(Mailbox mailbox);
    Mailbox updateMailbox(Mailbox mailbox);
    /** Deletes the mailbox, or the {@link #unreadableMailboxes unreadable} one, with this id. */
    void deleteMailbox(String id);

    /*
     * Rows an older version wrote that this one cannot read (a name since read more strictly; few): they are not in the
     * directory mail is routed by (no RCPT finds them), so they are only listed, counted against their organization's
     * deletion, and deleted by id. The names and addresses they hold stay taken until then.
     */

    /** Every stored accepted domain that could not be read. */
    default List<UnreadableRow> unreadableDomains() {
        return List.of();
    }

    /** Every stored mailbox that could not be read (its {@link UnreadableRow#storedName} is its primary address). */
    default List<UnreadableRow> unreadableMailboxes() {
        return List.of();
    }

    /**
     * The stored aliases of the readable mailbox {@code mailboxId} that could not be read: each id is the address key
     * it is stored under, its storedName the alias as stored. Changing the mailbox keeps them.
     */
    default List<UnreadableRow> unreadableAliases(String mailboxId) {
        return List.of();
    }

    /** Deletes one of {@link #unreadableAliases} of the mailbox; {@link NotFound} if it has none with this id. */
    default void deleteUnreadableAlias(String mailboxId, String id) {
        throw new NotFound("mailbox " + mailboxId + " has no unreadable alias " + id);
    }

    final class Conflict extends RuntimeException {
        public Conflict(String message) { super(message); }
    }

    final class NotFound extends RuntimeException {
        public NotFound(String message) { super(message); }
    }
}
