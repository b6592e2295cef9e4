package sluice.store.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.core.connector.IpRange;
import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.SpamAction;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Policies to and from the JSON kept in the store, field by field: the stored form is ours, not a
 * reflection of the Java records, so renaming a record component never silently loses data.
 */
final class PolicyCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PolicyCodec() {
    }

    static String encode(ConnectionFilterPolicy p) {
        ObjectNode n = JSON.createObjectNode();
        p.ipAllowList().forEach(r -> n.withArray("ipAllowList").add(r.toString()));
        p.ipBlockList().forEach(r -> n.withArray("ipBlockList").add(r.toString()));
        return n.toString();
    }

    static ConnectionFilterPolicy connectionFilter(String json) {
        JsonNode n = read(json);
        return new ConnectionFilterPolicy(ranges(n.path("ipAllowList")), ranges(n.path("ipBlockList")));
    }

    static String encode(AntiSpamPolicy p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("spamScl", p.spamScl());
        n.put("highConfidenceSpamScl", p.highConfidenceSpamScl());
        n.put("spamAction", p.spamAction().name());
        n.put("highConfidenceSpamAction", p.highConfidenceSpamAction().name());
        n.put("subjectPrefix", p.subjectPrefix());
        n.put("dmarcRejectAction", p.dmarcRejectAction().name());
        n.put("dmarcQuarantineAction", p.dmarcQuarantineAction().name());
        n.put("spoofAction", p.spoofAction().name());
        n.put("quarantineRetentionSeconds", p.quarantineRetention().toSeconds());
        return n.toString();
    }

    static AntiSpamPolicy antiSpam(String json) {
        JsonNode n = read(json);
        AntiSpamPolicy d = AntiSpamPolicy.DEFAULT;
        return new AntiSpamPolicy(n.path("spamScl").asInt(d.spamScl()),
                n.path("highConfidenceSpamScl").asInt(d.highConfidenceSpamScl()),
                action(n, "spamAction", d.spamAction()), action(n, "highConfidenceSpamAction", d.highConfidenceSpamAction()),
                n.path("subjectPrefix").asText(d.subjectPrefix()), action(n, "dmarcRejectAction", d.dmarcRejectAction()),
                action(n, "dmarcQuarantineAction", d.dmarcQuarantineAction()), action(n, "spoofAction", d.spoofAction()),
                Duration.ofSeconds(n.path("quarantineRetentionSeconds").asLong(d.quarantineRetention().toSeconds())));
    }

    static String encode(AntiMalwarePolicy p) {
        ObjectNode n = JSON.createObjectNode();
        n.put("enableFileFilter", p.enableFileFilter());
        p.fileTypes().forEach(t -> n.withArray("fileTypes").add(t));
        n.put("quarantine", p.quarantine());
        n.put("quarantineRetentionSeconds", p.quarantineRetention().toSeconds());
        return n.toString();
    }

    static AntiMalwarePolicy antiMalware(String json) {
        JsonNode n = read(json);
        AntiMalwarePolicy d = AntiMalwarePolicy.DEFAULT;
        List<String> types = new ArrayList<>();
        if (n.has("fileTypes")) n.path("fileTypes").forEach(t -> types.add(t.asText()));
        return new AntiMalwarePolicy(n.path("enableFileFilter").asBoolean(d.enableFileFilter()),
                n.has("fileTypes") ? types : d.fileTypes(), n.path("quarantine").asBoolean(d.quarantine()),
                Duration.ofSeconds(n.path("quarantineRetentionSeconds").asLong(d.quarantineRetention().toSeconds())));
    }

    private static SpamAction action(JsonNode n, String field, SpamAction fallback) {
        return n.has(field) ? SpamAction.valueOf(n.path(field).asText()) : fallback;
    }

    private static List<IpRange> ranges(JsonNode array) {
        List<IpRange> out = new ArrayList<>();
        array.forEach(r -> out.add(IpRange.parse(r.asText())));
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException("unreadable stored policy: " + e.getMessage(), e);
        }
    }
}
