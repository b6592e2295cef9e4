package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.cli.CliException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration file read and checked whole before anything is sent: its version, its sections,
 * and every entry with its defaults filled in ({@link Fields#desired}). An error anywhere stops the
 * import before the first change, and the checks that decide whether the file may be applied at all
 * ({@link Target}, {@link GlobalSettings}) see the same values the import would send.
 *
 * @param organization the file's organization settings; null when it has no {@code organization} section
 * @param objects      per kind, its entries in file order
 * @param policies     the policies the file gives, each with only the fields it gives
 */
record ConfigFile(ObjectNode organization, Map<Kind, List<ObjectNode>> objects, Map<Policy, ObjectNode> policies) {

    static ConfigFile of(JsonNode file) {
        JsonNode version = file.get("version");
        if (version != null && version.asInt() != Exporter.VERSION)
            throw new CliException("this file is version " + version.asText() + "; this sluice reads version " + Exporter.VERSION);
        for (var it = file.fieldNames(); it.hasNext(); ) {
            String section = it.next();
            if (!section.equals("version") && !section.equals(Kind.ORGANIZATION) && !section.equals(Policy.SECTION)
                    && Kind.ALL.stream().noneMatch(k -> k.section().equals(section)))
                throw new CliException("unknown section '" + section + "'");
        }
        JsonNode org = file.get(Kind.ORGANIZATION);
        ObjectNode organization = org == null || org.isNull() ? null
                : Fields.desired(org, Kind.ORGANIZATION_FIELDS, List.of(), Kind.ORGANIZATION);
        Map<Kind, List<ObjectNode>> objects = new LinkedHashMap<>();
        for (Kind kind : Kind.ALL) objects.put(kind, entries(kind, file.path(kind.section())));
        return new ConfigFile(organization, Map.copyOf(objects), policies(file.path(Policy.SECTION)));
    }

    List<ObjectNode> objects(Kind kind) {
        return objects.getOrDefault(kind, List.of());
    }

    private static List<ObjectNode> entries(Kind kind, JsonNode entries) {
        if (entries.isMissingNode() || entries.isNull()) return List.of();
        if (!entries.isArray()) throw new CliException(kind.section() + ": expected a list");
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++)
            out.add(Fields.desired(entries.get(i), kind.fields(), kind.softFields(), kind.section() + "[" + i + "]"));
        return List.copyOf(out);
    }

    private static Map<Policy, ObjectNode> policies(JsonNode section) {
        if (section.isMissingNode() || section.isNull()) return Map.of();
        if (!section.isObject()) throw new CliException(Policy.SECTION + ": expected a mapping of policies");
        for (var it = section.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (Policy.ALL.stream().noneMatch(p -> p.key().equals(name)))
                throw new CliException(Policy.SECTION + ": unknown policy '" + name + "' (known: "
                        + String.join(", ", Policy.ALL.stream().map(Policy::key).toList()) + ")");
        }
        Map<Policy, ObjectNode> out = new LinkedHashMap<>();
        for (Policy p : Policy.ALL) {
            JsonNode entry = section.get(p.key());
            if (entry != null && !entry.isNull())
                out.put(p, Fields.desired(entry, p.fields(), p.softFields(), Policy.SECTION + "." + p.key()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }
}
