package sluice.cli.commands;

import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

import static sluice.cli.commands.CommonConnectorFields.putIfGiven;

/** The inbound connector settings, one option per API field (Exchange's New-InboundConnector parameters). */
public final class InboundFields {

    @Option(names = "--sender-ip-addresses", split = ",", paramLabel = "CIDR",
            description = "Sender IP addresses or ranges, comma-separated (IPv4 and IPv6; '' for none).")
    List<String> senderIpAddresses;

    @Option(names = "--tls-sender-certificate-name", paramLabel = "NAME",
            description = "Identify the sender by the name on its TLS client certificate (*.example allowed; '' clears).")
    String tlsSenderCertificateName;

    @Option(names = "--sender-domains", split = ",", paramLabel = "DOMAIN",
            description = "Sender domains the connector applies to, comma-separated (*.example allowed; '' for all).")
    List<String> senderDomains;

    @Option(names = "--require-tls", negatable = true,
            description = "Refuse mail from this partner without TLS.")
    Boolean requireTls;

    @Option(names = "--restrict-domains-to-ip-addresses", negatable = true,
            description = "Accept mail from the sender domains only from these IP addresses (Partner).")
    Boolean restrictDomainsToIpAddresses;

    @Option(names = "--restrict-domains-to-certificate", negatable = true,
            description = "Accept mail from the sender domains only with this certificate (Partner).")
    Boolean restrictDomainsToCertificate;

    @Option(names = "--treat-messages-as-internal", negatable = true,
            description = "Treat the mail as the organization's own (OnPremises).")
    Boolean treatMessagesAsInternal;

    @Option(names = "--ef-skip-ips", split = ",", paramLabel = "CIDR",
            description = "Enhanced filtering: hops to skip when finding the originating IP, comma-separated.")
    List<String> efSkipIps;

    @Option(names = "--ef-skip-last-ip", negatable = true,
            description = "Enhanced filtering: skip the last hop.")
    Boolean efSkipLastIp;

    void put(Map<String, Object> body) {
        putIfGiven(body, "senderIpAddresses", senderIpAddresses);
        putIfGiven(body, "tlsSenderCertificateName", tlsSenderCertificateName);
        putIfGiven(body, "senderDomains", senderDomains);
        putIfGiven(body, "requireTls", requireTls);
        putIfGiven(body, "restrictDomainsToIpAddresses", restrictDomainsToIpAddresses);
        putIfGiven(body, "restrictDomainsToCertificate", restrictDomainsToCertificate);
        putIfGiven(body, "treatMessagesAsInternal", treatMessagesAsInternal);
        putIfGiven(body, "efSkipIps", efSkipIps);
        putIfGiven(body, "efSkipLastIp", efSkipLastIp);
    }
}
