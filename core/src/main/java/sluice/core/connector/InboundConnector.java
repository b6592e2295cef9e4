package sluice.core.connector;

import java.util.List;
import java.util.Objects;

/**
 * How mail from a specific source is recognised and treated (EOP's inbound connector).
 *
 * @param senderIpAddresses             identifies the source by connecting IP (IPv4/IPv6 CIDR)
 * @param tlsSenderCertificateName      identifies the source by the TLS client certificate's subject
 *                                      CN or a SAN DNS name ({@code *.contoso.com} allowed); null when unused
 * @param senderDomains                 the sender domains this connector is for ({@code *} for all)
 * @param requireTls                    refuse mail from this source that did not use TLS
 * @param restrictDomainsToIpAddresses  Partner: mail from {@code senderDomains} is refused unless it comes from these IPs
 * @param restrictDomainsToCertificate  Partner: ... unless it presents this certificate
 * @param treatMessagesAsInternal       OnPremises: mail through it is internal to the organization
 * @param efSkipIps                     enhanced filtering: hops to skip when recovering the originating IP
 * @param efSkipLastIp                  enhanced filtering: skip the last hop (another filter in front of us)
 */
public record InboundConnector(String id, String organizationId, String name, ConnectorType type, boolean enabled,
                               String comment, List<IpRange> senderIpAddresses, String tlsSenderCertificateName,
                               List<DomainPattern> senderDomains, boolean requireTls,
                               boolean restrictDomainsToIpAddresses, boolean restrictDomainsToCertificate,
                               boolean treatMessagesAsInternal, List<IpRange> efSkipIps, boolean efSkipLastIp) {

    public InboundConnector {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a connector needs a name");
        Objects.requireNonNull(type, "type");
        senderIpAddresses = List.copyOf(senderIpAddresses);
        senderDomains = senderDomains.isEmpty() ? List.of(new DomainPattern("*")) : List.copyOf(senderDomains);
        efSkipIps = List.copyOf(efSkipIps);
        if (tlsSenderCertificateName != null && tlsSenderCertificateName.isBlank()) tlsSenderCertificateName = null;
        if (senderIpAddresses.isEmpty() && tlsSenderCertificateName == null)
            throw new IllegalArgumentException("an inbound connector is identified by senderIpAddresses or tlsSenderCertificateName");
        if (restrictDomainsToIpAddresses && senderIpAddresses.isEmpty())
            throw new IllegalArgumentException("restrictDomainsToIpAddresses needs senderIpAddresses");
        if (restrictDomainsToCertificate && tlsSenderCertificateName == null)
            throw new IllegalArgumentException("restrictDomainsToCertificate needs tlsSenderCertificateName");
        if (restrictDomainsToCertificate && !requireTls)
            throw new IllegalArgumentException("restrictDomainsToCertificate needs requireTls");
        if (treatMessagesAsInternal && type != ConnectorType.ON_PREMISES)
            throw new IllegalArgumentException("treatMessagesAsInternal applies only to OnPremises connectors");
        if ((restrictDomainsToIpAddresses || restrictDomainsToCertificate) && type != ConnectorType.PARTNER)
            throw new IllegalArgumentException("restricting domains applies only to Partner connectors");
    }
}
