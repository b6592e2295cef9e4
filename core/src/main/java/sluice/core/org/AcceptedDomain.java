package sluice.core.org;

import sluice.core.mail.Domain;

import java.util.Objects;

/**
 * A domain an organization receives mail for.
 *
 * @param matchSubdomains only for {@link Type#INTERNAL_RELAY}: subdomains are accepted too
 */
public record AcceptedDomain(String id, String organizationId, Domain domain, Type type, boolean matchSubdomains) {

    public enum Type {
        /** Every valid recipient is hosted here; unknown recipients are refused at RCPT. */
        AUTHORITATIVE,
        /** Recipients not hosted here are relayed to the organization's own servers. */
        INTERNAL_RELAY
    }

    public AcceptedDomain {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(type, "type");
        if (matchSubdomains && type != Type.INTERNAL_RELAY)
            throw new IllegalArgumentException("matchSubdomains applies only to InternalRelay domains");
    }
}
