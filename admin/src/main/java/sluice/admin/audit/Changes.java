package sluice.admin.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** What goes into an entry's details: redacted copies and field-level diffs of JSON resources. */
final class Changes {

    static final String REDACTED = "***";
    /** Larger details are summarised by field names: the audit log is for people, not a backup. */
    static final int MAX_DETAILS = 16 * 1024;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Changes() {
    }

    /**
     * A copy with every secret replaced by {@value #REDACTED}, at any depth: fields whose name holds
     * "password" or "secret", and tokens (an API token's secret, the CSRF token).
     */
    static JsonNode redact(JsonNode node) {
        if (node == null) return null;
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                out.set(e.getKey(), isSecret(e.getKey()) && !e.getValue().isNull() && !e.getValue().isBoolean()
                        ? NODES.textNode(REDACTED) : redact(e.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            var out = NODES.arrayNode();
            node.forEach(n -> out.add(redact(n)));
            return out;
        }
        return node;
    }

    static boolean isSecret(String field) {
        String f = field.toLowerCase(Locale.ROOT);
        return f.contains("password") || f.contains("secret") || f.equals("token") || f.endsWith("token") && !f.endsWith("tokens")
                || f.equals("privatekey");
    }

    /** {@code {"field": {"from": old, "to": new}}} for each top-level field that differs; both redacted. */
    static ObjectNode diff(JsonNode before, JsonNode after) {
        JsonNode b = redact(before);
        JsonNode a = redact(after);
        ObjectNode out = NODES.objectNode();
        Set<String> fields = new TreeSet<>();
        b.fieldNames().forEachRemaining(fields::add);
        a.fieldNames().forEachRemaining(fields::add);
        for (String f : fields) {
            JsonNode from = b.path(f);
            JsonNode to = a.path(f);
            if (from.equals(to)) continue;
            ObjectNode change = out.putObject(f);
            change.set("from", from.isMissingNode() ? NODES.nullNode() : from);
            change.set("to", to.isMissingNode() ? NODES.nullNode() : to);
        }
        return out;
    }

    /** The details as stored: compact JSON, or a summary naming the fields when it is too large. */
    static String text(JsonNode details) {
        if (details == null || details.isNull() || details.isEmpty() && details.isContainerNode()) return null;
        String json = details.toString();
        if (json.length() <= MAX_DETAILS) return json;
        ObjectNode summary = NODES.objectNode().put("truncated", true);
        var names = summary.putArray("fields");
        details.fieldNames().forEachRemaining(names::add);
        return summary.toString();
    }
}
