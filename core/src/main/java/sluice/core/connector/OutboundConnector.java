package sluice.core.connector;

import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How mail to specific destinations is delivered (EOP's outbound connector).
 *
 * @param recipientDomains              destinations ({@code contoso.com}, {@code *.contoso.com}); empty with allAcceptedDomains
 * @param allAcceptedDomains            OnPremises: every accepted domain of the organization (hybrid shared address space)
 * @param smartHosts                    next hops, tried in order; empty when {@code useMxRecord}
 * @param tlsDomain                     the name the certificate must carry, with {@link TlsSettings#DOMAIN_VALIDATION}
 * @param isTransportRuleScoped         used only when a mail flow rule routes a message to it
 * @param routeAllMessagesViaOnPremises centralized mail transport: internet mail of the organization goes through it
 * @param lastValidation                the result of the last validation, or null
 * @param localHopsAllowed              its next hops may be addresses of this node itself (loopback, link-local, the
 *                                      node's own interfaces), e.g. a content filter on {@code 127.0.0.1:10025}: true
 *                                      when a global administrator last set them, false when an organization
 *                                      administrator did, so that no tenant reaches the node's own services through
 *                                      delivery or {@code validate}, even by a host name that resolves there
 */
public record OutboundConnector(String id, String organizationId, String name, ConnectorType type, boolean enabled,
                                String comment, List<DomainPattern> recipientDomains, boolean allAcceptedDomains,
                                List<HostPort> smartHosts, boolean useMxRecord, TlsSettings tlsSettings,
                                Domain tlsDomain, boolean isTransportRuleScoped, boolean routeAllMessagesViaOnPremises,
                                Validation lastValidation, boolean localHopsAllowed) {

    /** EOP's TLS settings: NONE means opportunistic. */
    public enum TlsSettings { NONE, ENCRYPTION_ONLY, CERTIFICATE_VALIDATION, DOMAIN_VALIDATION }

    /** What the last {@code validate} found, per smart host. */
    public record Validation(Instant at, boolean succeeded, List<HostReport> hosts) {
        public Validation {
            hosts = List.copyOf(hosts);
        }
    }

    /** @param steps what happened, in order: "connected to ...", "EHLO: 250 ...", "STARTTLS ...", "certificate ..." */
    public record HostReport(String host, boolean succeeded, List<String> steps, String error) {
        public HostReport {
            steps = List.copyOf(steps);
        }
    }

    public OutboundConnector {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a connector needs a name");
        Objects.requireNonNull(type, "type");
        recipientDomains = List.copyOf(recipientDomains);
        smartHosts = List.copyOf(smartHosts);
        Objects.requireNonNull(tlsSettings, "tlsSettings");
        if (useMxRecord == !smartHosts.isEmpty())
            throw new IllegalArgumentException("give either smartHosts or useMxRecord");
        if (allAcceptedDomains && type != ConnectorType.ON_PREMISES)
            throw new IllegalArgumentException("allAcceptedDomains applies only to OnPremises connectors");
        if (allAcceptedDomains && !recipientDomains.isEmpty())
            throw new IllegalArgumentException("give either recipientDomains or allAcceptedDomains");
        if (!allAcceptedDomains && recipientDomains.isEmpty() && !isTransportRuleScoped && !routeAllMessagesViaOnPremises)
            throw new IllegalArgumentException("an outbound connector needs recipientDomains, allAcceptedDomains, "
                    + "isTransportRuleScoped or routeAllMessagesViaOnPremises");
        if ((tlsSettings == TlsSettings.DOMAIN_VALIDATION) != (tlsDomain != null))
            throw new IllegalArgumentException("tlsDomain goes with tlsSettings DomainValidation, and only with it");
        if (routeAllMessagesViaOnPremises && (type != ConnectorType.ON_PREMISES || useMxRecord))
            throw new IllegalArgumentException("routeAllMessagesViaOnPremises needs an OnPremises connector with smart hosts");
    }

    public OutboundConnector withValidation(Validation v) {
        return new OutboundConnector(id, organizationId, name, type, enabled, comment, recipientDomains, allAcceptedDomains,
                smartHosts, useMxRecord, tlsSettings, tlsDomain, isTransportRuleScoped, routeAllMessagesViaOnPremises, v,
                localHopsAllowed);
    }

    /** The same connector under the id a store gave it. */
    public OutboundConnector withId(String newId) {
        return new OutboundConnector(newId, organizationId, name, type, enabled, comment, recipientDomains, allAcceptedDomains,
                smartHosts, useMxRecord, tlsSettings, tlsDomain, isTransportRuleScoped, routeAllMessagesViaOnPremises,
                lastValidation, localHopsAllowed);
    }

    /** The same connector with {@link #localHopsAllowed} set as given. */
    public OutboundConnector withLocalHopsAllowed(boolean allowed) {
        return new OutboundConnector(id, organizationId, name, type, enabled, comment, recipientDomains, allAcceptedDomains,
                smartHosts, useMxRecord, tlsSettings, tlsDomain, isTransportRuleScoped, routeAllMessagesViaOnPremises,
                lastValidation, allowed);
    }
}
