package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.cli.CliException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Projecting API objects and file entries onto a kind's configuration fields, and comparing them. */
final class Fields {

    private Fields() {
    }

    /** The configuration fields of an API object, in the kind's order (what export writes). */
    static ObjectNode project(JsonNode apiObject, Map<String, JsonNode> fields) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        fields.forEach((name, dflt) -> {
            JsonNode v = apiObject.get(name);
            // nested objects (a rule's conditions and actions) are written with only what is set
            out.set(name, v != null ? (v.isObject() ? set(v) : v) : dflt != null ? dflt : JsonNodeFactory.instance.nullNode());
        });
        return out;
    }

    /**
     * A file entry with the defaults filled in: what the object should look like. Unknown fields (a
     * typo would otherwise be ignored silently) and missing required ones are errors naming {@code where}.
     */
    static ObjectNode desired(JsonNode entry, Map<String, JsonNode> fields, List<String> soft, String where) {
        if (entry == null || !entry.isObject()) throw new CliException(where + ": expected a mapping of fields");
        for (Iterator<String> it = entry.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!fields.containsKey(name))
                throw new CliException(where + ": unknown field '" + name + "' (known: " + String.join(", ", fields.keySet()) + ")");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        fields.forEach((name, dflt) -> {
            JsonNode v = entry.get(name);
            if (dflt == null && (v == null || v.isNull())) throw new CliException(where + ": '" + name + "' is required");
            if (v != null) out.set(name, v);
            else if (!soft.contains(name)) out.set(name, dflt);
        });
        return out;
    }

    /** The fields of {@code desired} whose value differs from {@code current}'s. */
    static List<String> differences(ObjectNode desired, JsonNode current) {
        List<String> out = new ArrayList<>();
        desired.properties().forEach(e -> {
            if (!same(e.getValue(), current.get(e.getKey()))) out.add(e.getKey());
        });
        return out;
    }

    static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) return aNull && bNull;
        if (a.isNumber() && b.isNumber()) return a.asLong() == b.asLong();
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!same(a.get(i), b.get(i))) return false;
            return true;
        }
        if (a.isTextual() && b.isTextual()) return a.asText().equals(b.asText());
        if (a.isObject() && b.isObject()) return set(a).equals(set(b));
        return a.equals(b);
    }

    /**
     * A nested object (a rule's conditions or actions) without its unset entries (null, false, empty
     * list), so a file that leaves them out matches the API's full form.
     */
    private static ObjectNode set(JsonNode object) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        object.properties().forEach(e -> {
            JsonNode v = e.getValue();
            boolean unset = v.isNull() || (v.isBoolean() && !v.asBoolean()) || (v.isArray() && v.isEmpty());
            if (!unset) out.set(e.getKey(), v.isObject() ? set(v) : v);
        });
        return out;
    }

    /** A body for POST/PATCH: JSON null means "keep" to the API, so a cleared text field is sent as "" ("None" for TLS). */
    static ObjectNode body(ObjectNode desired) {
        ObjectNode body = desired.deepCopy();
        for (Map.Entry<String, JsonNode> e : desired.properties()) {
            if (!e.getValue().isNull()) continue;
            body.put(e.getKey(), e.getKey().equals("tlsSettings") ? "None" : "");
        }
        return body;
    }
}
