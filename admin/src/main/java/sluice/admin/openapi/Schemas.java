package sluice.admin.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * JSON Schemas (2020-12, as OpenAPI 3.1 uses) derived from the records the routes read and answer:
 * one component per record, named after the record and the class it is declared in
 * ({@code UserRoutes.View} is {@code UserView}). Reflection here reads only record components, to
 * describe them; nothing is loaded or instantiated by name.
 */
final class Schemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectNode components = NODES.objectNode();

    /** The schemas collected so far, by name. */
    ObjectNode components() {
        return components;
    }

    /** A {@code $ref} to the record's schema, defining it (and the records it contains) on first use. */
    ObjectNode ref(Class<?> record) {
        String name = name(record);
        if (!components.has(name)) {
            ObjectNode schema = components.putObject(name); // put first: records may refer to themselves
            schema.put("type", "object");
            ObjectNode properties = schema.putObject("properties");
            RecordComponent[] fields = record.getRecordComponents();
            if (fields == null) throw new IllegalArgumentException(record + " is not a record");
            for (RecordComponent f : fields) {
                ObjectNode property = schema(f.getGenericType());
                // Passwords go in, never out.
                if (f.getName().toLowerCase(Locale.ROOT).contains("password") && f.getType() == String.class)
                    property.put("writeOnly", true);
                properties.set(f.getName(), property);
            }
        }
        return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
    }

    ObjectNode schema(Type type) {
        if (type instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] args = p.getActualTypeArguments();
            if (Collection.class.isAssignableFrom(raw)) {
                ObjectNode array = NODES.objectNode().put("type", "array");
                array.set("items", schema(args[0]));
                return array;
            }
            if (Map.class.isAssignableFrom(raw)) {
                ObjectNode map = NODES.objectNode().put("type", "object");
                map.set("additionalProperties", schema(args[1]));
                return map;
            }
            return schema(raw);
        }
        Class<?> c = (Class<?>) type;
        // Strings and instants may be null in our views (a comment not set, an expiry not given).
        if (c == String.class) return nullable("string");
        if (c == boolean.class) return NODES.objectNode().put("type", "boolean");
        if (c == Boolean.class) return nullable("boolean");
        if (c == int.class || c == long.class) return NODES.objectNode().put("type", "integer");
        if (c == Integer.class || c == Long.class) return nullable("integer");
        if (c == double.class || c == Double.class) return NODES.objectNode().put("type", "number");
        if (c == Instant.class) return nullable("string").put("format", "date-time");
        if (c.isEnum()) return NODES.objectNode().put("type", "string");
        if (c.isRecord()) return ref(c);
        if (JsonNode.class.isAssignableFrom(c) || c == Object.class) return NODES.objectNode(); // any JSON
        throw new IllegalArgumentException("no schema for " + c.getName() + "; describe it in Schemas");
    }

    private static ObjectNode nullable(String type) {
        ObjectNode n = NODES.objectNode();
        n.putArray("type").add(type).add("null");
        return n;
    }

    static String name(Class<?> c) {
        Class<?> outer = c.getEnclosingClass();
        if (outer == null) return c.getSimpleName();
        String prefix = outer.getSimpleName().replaceAll("Routes?$", "");
        return c.getSimpleName().startsWith(prefix) ? c.getSimpleName() : prefix + c.getSimpleName();
    }
}
