package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import sluice.core.mail.Domain;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One kind of object in the file: its YAML section, API path, natural key, and the fields that are
 * configuration (not ids, usage or validation results) with the value a field left out of the file means.
 *
 * @param fields field name to default; a {@code null} default marks a required field (the key, the type)
 * @param softFields fields the server fills in when not given (a mailbox's display name): left out, they are not compared
 */
record Kind(String section, String label, String base, String key, Map<String, JsonNode> fields, List<String> softFields) {

    private static final JsonNode NONE = NullNode.getInstance();
    private static final JsonNode FALSE = BooleanNode.FALSE;
    private static final JsonNode TRUE = BooleanNode.TRUE;
    private static final JsonNode EMPTY = JsonNodeFactory.instance.arrayNode();
    private static final JsonNode NO_FIELDS = JsonNodeFactory.instance.objectNode();
    private static final JsonNode ALL_DOMAINS = JsonNodeFactory.instance.arrayNode().add("*");

    static final Kind DOMAIN = new Kind("acceptedDomains", "accepted domain", "/domains", "domainName",
            fields("domainName", null, "domainType", TextNode.valueOf("Authoritative"), "matchSubdomains", FALSE), List.of());

    static final Kind MAILBOX = new Kind("mailboxes", "mailbox", "/mailboxes", "address",
            fields("address", null, "displayName", NONE, "aliases", EMPTY, "quotaBytes", LongNode.valueOf(0)),
            List.of("displayName"));

    static final Kind INBOUND = new Kind("inboundConnectors", "inbound connector", "/connectors/inbound", "name",
            fields("name", null, "connectorType", null, "enabled", TRUE, "comment", NONE,
                    "senderIpAddresses", EMPTY, "tlsSenderCertificateName", NONE, "senderDomains", ALL_DOMAINS,
                    "requireTls", FALSE, "restrictDomainsToIpAddresses", FALSE, "restrictDomainsToCertificate", FALSE,
                    "treatMessagesAsInternal", FALSE, "efSkipIps", EMPTY, "efSkipLastIp", FALSE), List.of());

    static final Kind OUTBOUND = new Kind("outboundConnectors", "outbound connector", "/connectors/outbound", "name",
            fields("name", null, "connectorType", null, "enabled", TRUE, "comment", NONE,
                    "recipientDomains", EMPTY, "allAcceptedDomains", FALSE, "smartHosts", EMPTY, "useMxRecord", FALSE,
                    "tlsSettings", NONE, "tlsDomain", NONE, "isTransportRuleScoped", FALSE,
                    "routeAllMessagesViaOnPremises", FALSE, "localHopsAllowed", FALSE),
            // only a global administrator may set it: a file without it leaves it as it is
            List.of("localHopsAllowed"));

    /** Mail flow rules, exported in priority order (see {@link #ordered}); routeUsingConnector names the connector. */
    static final Kind RULE = new Kind("transportRules", "mail flow rule", "/rules", "name",
            fields("name", null, "priority", null, "enabled", TRUE, "comment", NONE, "conditions", NO_FIELDS,
                    "exceptions", NO_FIELDS, "actions", null), List.of());

    /** In the order they are imported: domains before the mailboxes that use them, connectors before the rules naming them. */
    static final List<Kind> ALL = List.of(DOMAIN, MAILBOX, INBOUND, OUTBOUND, RULE);

    /**
     * {@code key} as the server tells two of this kind apart. Domain names are compared as the server stores
     * them ({@link Domain}: A-labels, lower case, no trailing dot), so that {@code Contoso.Example.} in a
     * file finds {@code contoso.example}; a name that is not a domain is left as written, for the server to refuse.
     */
    String canonical(String key) {
        if (this.key.equals("domainName")) {
            try {
                return Domain.of(key).name();
            } catch (IllegalArgumentException e) {
                return key;
            }
        }
        return key.toLowerCase(Locale.ROOT);
    }

    /** Rules in the file go in priority order, so that creating them one after the other rebuilds that order. */
    boolean ordered() {
        return fields.containsKey("priority");
    }

    static final String ORGANIZATION = "organization";
    static final Map<String, JsonNode> ORGANIZATION_FIELDS = fields("name", null, "rejectDirectSend", FALSE);

    private static Map<String, JsonNode> fields(Object... pairs) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (JsonNode) pairs[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
