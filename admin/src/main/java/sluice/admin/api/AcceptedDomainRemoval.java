package sluice.admin.api;

import sluice.admin.audit.Cascades;
import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.core.connector.ConnectorType;
import sluice.core.connector.Connectors;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.DkimSigningKeys;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Deletes an accepted domain. What the domain still serves must go first (409): mailboxes that use
 * it, and the organization's subdomains and OnPremises certificate names it vouches for. The
 * organization's DKIM keys for it go with it: the store deletes them in the domain's own transaction,
 * and each is recorded in the audit log as deleted with the domain. Left behind, they would let the
 * organization sign as the domain once it is someone else's, wherever the old record stays published.
 */
final class AcceptedDomainRemoval {

    private final Directory directory;
    private final Connectors connectors;
    private final DkimSigningKeys keys;
    private final Cascades cascades;

    AcceptedDomainRemoval(Directory directory, Connectors connectors, DkimSigningKeys keys, Cascades cascades) {
        this.directory = directory;
        this.connectors = connectors;
        this.keys = keys;
        this.cascades = cascades;
    }

    void remove(Request request, AcceptedDomain domain) {
        String org = domain.organizationId();
        // Key creation takes this lock too, so the keys listed here are the keys the store deletes.
        List<DkimSigningKey> signing = OrganizationLock.with(org, () -> {
            refuseIfInUse(domain);
            refuseIfProofOfOthers(domain);
            List<DkimSigningKey> ofDomain = keys.keys(org).stream().filter(k -> k.domain().equals(domain.domain())).toList();
            directory.deleteAcceptedDomain(domain.id());
            return ofDomain;
        });
        for (DkimSigningKey k : signing)
            cascades.deleted(request, DkimRoutes.BASE + "/{id}", org, k.id(), DkimRoutes.View.of(k),
                    "deleted with the accepted domain " + domain.domain() + " (" + domain.id() + ")");
    }

    /**
     * "Uses" means this domain is the one that accepts the address, which covers the subdomains of an
     * InternalRelay domain with matchSubdomains but not those with an accepted domain of their own.
     */
    private void refuseIfInUse(AcceptedDomain deleted) {
        boolean inUse = directory.mailboxes(deleted.organizationId()).stream()
                .flatMap(m -> Stream.concat(Stream.of(m.address()), m.aliases().stream()))
                .anyMatch(a -> directory.acceptedDomainFor(a.domain()).map(AcceptedDomain::id).filter(deleted.id()::equals).isPresent());
        if (inUse)
            throw ProblemException.conflict("Mailboxes still use " + deleted.domain() + "; change or delete them first.");
    }

    /**
     * An accepted domain is the proof behind its organization's subdomains (added without a TXT record) and
     * behind OnPremises connectors' certificate names within it. Deleted while they stay, the organization
     * would keep them after the domain moved to someone else: mail for the new owner's subdomains, and relay
     * for its servers' certificates. So they go first (or another accepted domain of the organization covers them).
     */
    private void refuseIfProofOfOthers(AcceptedDomain deleted) {
        String org = deleted.organizationId();
        List<AcceptedDomain> remaining = directory.acceptedDomains(org).stream().filter(a -> !a.id().equals(deleted.id())).toList();
        List<String> subdomains = remaining.stream().filter(a -> a.domain().isWithin(deleted.domain()))
                .filter(a -> remaining.stream().noneMatch(o -> o != a && !o.domain().isWithin(deleted.domain()) && a.domain().isWithin(o.domain())))
                .map(a -> a.domain().name()).sorted().toList();
        if (!subdomains.isEmpty())
            throw ProblemException.conflict("The organization's accepted domains " + String.join(", ", subdomains) + " are under "
                    + deleted.domain() + ", which vouches for them; delete them first.");
        List<String> claims = connectors.inbound(org).stream()
                .filter(c -> c.type() == ConnectorType.ON_PREMISES && c.tlsSenderCertificateName() != null)
                .filter(c -> certificateDomain(c.tlsSenderCertificateName()).filter(d -> d.isWithin(deleted.domain())
                        && remaining.stream().noneMatch(o -> d.isWithin(o.domain()))).isPresent())
                .map(c -> "'" + c.name() + "'").sorted().toList();
        if (!claims.isEmpty())
            throw ProblemException.conflict("Inbound connectors " + String.join(", ", claims) + " accept servers' certificates for names in "
                    + deleted.domain() + "; change or delete them first.");
    }

    private static Optional<Domain> certificateDomain(String certificateName) {
        try {
            return Optional.of(Domain.of(certificateName.startsWith("*.") ? certificateName.substring(2) : certificateName));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
