package sluice.core.org;

import sluice.core.mail.Domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Domains an organization administrator added but has not yet proven to own. A pending domain is
 * not an accepted domain: nothing routes, accepts or relays mail by it, and several organizations
 * may have the same one pending. It becomes an accepted domain once a DNS TXT record carrying its
 * token is published at the domain (EOP's domain verification), so one tenant cannot claim another
 * tenant's, or anybody's, domain and capture the mail that the node handles for it.
 */
public interface PendingDomains {

    /** How many domains one organization may have pending: verification is meant to follow soon. */
    int MAX_PER_ORGANIZATION = 50;

    /**
     * @param token the random value the TXT record must carry ({@link #txtRecord()})
     */
    record PendingDomain(String id, String organizationId, Domain domain, AcceptedDomain.Type type,
                         boolean matchSubdomains, String token, Instant createdAt) {
        public PendingDomain {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(organizationId, "organizationId");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(createdAt, "createdAt");
        }

        /** The TXT record to publish at {@link #domain()}. */
        public String txtRecord() {
            return "sluice-verification=" + token;
        }
    }

    List<PendingDomain> pending(String organizationId);

    Optional<PendingDomain> pendingDomain(String id);

    /**
     * Adds {@code d} under a new id; {@link Directory.Conflict} when the organization has that domain
     * pending already or has {@link #MAX_PER_ORGANIZATION}.
     */
    PendingDomain create(PendingDomain d);

    /** Deletes the pending domain, or the {@link #unreadable} one, with this id. */
    void delete(String id);

    /**
     * Every stored pending domain that could not be read (rows an older version wrote; few): never used; {@link #delete}
     * removes them.
     */
    default List<UnreadableRow> unreadable() {
        return List.of();
    }

    /** The checks {@link #create} makes against the organization's pending domains ({@code mine}). */
    static void checkRoomFor(PendingDomain d, List<PendingDomain> mine) {
        if (mine.stream().anyMatch(p -> p.domain().equals(d.domain())))
            throw new Directory.Conflict(d.domain() + " is already pending verification in this organization");
        if (mine.size() >= MAX_PER_ORGANIZATION)
            throw new Directory.Conflict("the organization has " + MAX_PER_ORGANIZATION + " domains pending verification;"
                    + " verify or delete some first");
    }
}
