package sluice.core.connector;

import sluice.core.mail.Domain;

import java.util.Comparator;
import java.util.Optional;

/**
 * Chooses the outbound connector of an organization for a recipient domain, in EOP's order: a
 * connector naming the domain exactly, then one for all accepted domains (when the domain is one of
 * the organization's), then the most specific wildcard. Disabled and transport-rule-scoped
 * connectors never take part; a mail flow rule names its connector ({@link #forTransportRule}).
 */
public final class OutboundSelector {

    private final Connectors connectors;

    public OutboundSelector(Connectors connectors) {
        this.connectors = connectors;
    }

    public Optional<OutboundConnector> select(String organizationId, Domain domain, boolean acceptedByOrganization) {
        OutboundConnector exact = null;
        OutboundConnector all = null;
        OutboundConnector wildcard = null;
        int wildcardLength = -1;
        for (OutboundConnector c : connectors.allOutbound()) {
            if (!c.enabled() || c.isTransportRuleScoped() || !c.organizationId().equals(organizationId)) continue;
            if (c.allAcceptedDomains() && acceptedByOrganization && all == null) all = c;
            for (DomainPattern p : c.recipientDomains()) {
                if (!p.matches(domain)) continue;
                if (!p.isWildcard()) {
                    if (exact == null) exact = c;
                } else if (p.pattern().length() > wildcardLength) {
                    wildcard = c;
                    wildcardLength = p.pattern().length();
                }
            }
        }
        if (exact != null) return Optional.of(exact);
        if (all != null) return Optional.of(all);
        return Optional.ofNullable(wildcard);
    }

    /**
     * The connector a mail flow rule's routeUsingConnector names, if it still exists, is enabled and
     * belongs to the message's organization (transport-rule-scoped or not).
     */
    public Optional<OutboundConnector> forTransportRule(String organizationId, String connectorId) {
        return connectors.outboundConnector(connectorId)
                .filter(c -> c.enabled() && c.organizationId().equals(organizationId));
    }

    /** The organization's centralized-mail-transport connector, if one is enabled. */
    public Optional<OutboundConnector> centralized(String organizationId) {
        return connectors.allOutbound().stream()
                .filter(c -> c.enabled() && c.routeAllMessagesViaOnPremises() && c.organizationId().equals(organizationId))
                .min(Comparator.comparing(OutboundConnector::name));
    }
}
