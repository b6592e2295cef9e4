package sluice.cli.commands;

import picocli.CommandLine.Option;

import java.util.List;
import java.util.Map;

import static sluice.cli.commands.CommonConnectorFields.putIfGiven;

/** The outbound connector settings, one option per API field (Exchange's New-OutboundConnector parameters). */
public final class OutboundFields {

    @Option(names = "--recipient-domains", split = ",", paramLabel = "DOMAIN",
            description = "Recipient domains this connector sends for, comma-separated (*.example allowed).")
    List<String> recipientDomains;

    @Option(names = "--all-accepted-domains", negatable = true,
            description = "Send for all the organization's accepted domains (OnPremises, hybrid).")
    Boolean allAcceptedDomains;

    @Option(names = "--smart-hosts", split = ",", paramLabel = "HOST[:PORT]",
            description = "Where to send, comma-separated host names or IPs with optional ports.")
    List<String> smartHosts;

    @Option(names = "--use-mx-record", negatable = true,
            description = "Send by the recipient domain's MX records instead of smart hosts.")
    Boolean useMxRecord;

    @Option(names = "--tls-settings", paramLabel = "TLS",
            description = "EncryptionOnly, CertificateValidation, DomainValidation, or None (opportunistic TLS, the default).")
    String tlsSettings;

    @Option(names = "--tls-domain", paramLabel = "DOMAIN",
            description = "The name the certificate must carry (with DomainValidation; '' clears).")
    String tlsDomain;

    @Option(names = "--transport-rule-scoped", negatable = true,
            description = "Use the connector only when a transport rule sends mail to it.")
    Boolean transportRuleScoped;

    @Option(names = "--route-all-messages-via-on-premises", negatable = true,
            description = "Send all the organization's internet mail through the on-premises servers (centralized mail transport).")
    Boolean routeAllMessagesViaOnPremises;

    @Option(names = "--local-hops-allowed", negatable = true,
            description = "The smart hosts may be this node itself (a content filter on 127.0.0.1); global administrators only.")
    Boolean localHopsAllowed;

    void put(Map<String, Object> body) {
        putIfGiven(body, "recipientDomains", recipientDomains);
        putIfGiven(body, "allAcceptedDomains", allAcceptedDomains);
        putIfGiven(body, "smartHosts", smartHosts);
        putIfGiven(body, "useMxRecord", useMxRecord);
        putIfGiven(body, "tlsSettings", tlsSettings);
        putIfGiven(body, "tlsDomain", tlsDomain);
        putIfGiven(body, "isTransportRuleScoped", transportRuleScoped);
        putIfGiven(body, "routeAllMessagesViaOnPremises", routeAllMessagesViaOnPremises);
        putIfGiven(body, "localHopsAllowed", localHopsAllowed);
    }
}
