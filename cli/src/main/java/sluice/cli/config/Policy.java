package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of an organization's protection policies in the file's {@code policies} section. Every
 * organization has each policy (the defaults until changed), so a policy is never created, only
 * compared and updated; a field left out of the file is left as it is on the server.
 *
 * @param key  its name in the {@code policies} section
 * @param base the API path, completed by the organization id
 */
record Policy(String key, String label, String base, Map<String, JsonNode> fields) {

    static final String SECTION = "policies";

    static final Policy CONNECTION_FILTER = new Policy("connectionFilter", "connection filter policy",
            "/policies/connection-filter/", fields("ipAllowList", "ipBlockList"));

    static final Policy ANTI_SPAM = new Policy("antiSpam", "anti-spam policy", "/policies/anti-spam/",
            fields("spamScl", "highConfidenceSpamScl", "spamAction", "highConfidenceSpamAction", "modifySubjectValue",
                    "dmarcRejectAction", "dmarcQuarantineAction", "spoofAction", "quarantineRetentionPeriod"));

    static final Policy ANTI_MALWARE = new Policy("antiMalware", "anti-malware policy", "/policies/anti-malware/",
            fields("enableFileFilter", "fileTypes", "action", "quarantineRetentionPeriod"));

    static final List<Policy> ALL = List.of(CONNECTION_FILTER, ANTI_SPAM, ANTI_MALWARE);

    String path(String organizationId) {
        return base + organizationId;
    }

    /** Every field is soft: a default that is never used ({@link Fields#desired} leaves soft fields out). */
    List<String> softFields() {
        return List.copyOf(fields.keySet());
    }

    private static Map<String, JsonNode> fields(String... names) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (String n : names) m.put(n, NullNode.getInstance());
        return java.util.Collections.unmodifiableMap(m);
    }
}
