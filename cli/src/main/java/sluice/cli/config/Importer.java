package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.cli.CliException;
import sluice.cli.http.Api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Brings the server in line with a configuration file: creates what is missing, updates what differs,
 * leaves alone what matches (and anything the file does not mention). Running it twice changes
 * nothing the second time. With {@code dryRun} it only reports what it would do.
 */
final class Importer {

    /** What was (or would be) done: the tally and one line per change. */
    record Result(int created, int updated, int unchanged, List<String> actions) {
    }

    private final Api api;
    private final boolean dryRun;
    private final Consumer<String> report;
    private final List<String> actions = new ArrayList<>();
    private int created;
    private int updated;
    private int unchanged;

    Importer(Api api, boolean dryRun, Consumer<String> report) {
        this.api = api;
        this.dryRun = dryRun;
        this.report = report;
    }

    Result apply(JsonNode file) {
        JsonNode version = file.get("version");
        if (version != null && version.asInt() != Exporter.VERSION)
            throw new CliException("this file is version " + version.asText() + "; this sluice reads version " + Exporter.VERSION);
        for (var it = file.fieldNames(); it.hasNext(); ) {
            String section = it.next();
            if (!section.equals("version") && !section.equals(Kind.ORGANIZATION) && !section.equals(Policy.SECTION)
                    && Kind.ALL.stream().noneMatch(k -> k.section().equals(section)))
                throw new CliException("unknown section '" + section + "'");
        }
        String organizationId = organization(Fields.desired(file.get(Kind.ORGANIZATION), Kind.ORGANIZATION_FIELDS, List.of(),
                Kind.ORGANIZATION));
        for (Kind kind : Kind.ALL) objects(kind, file.path(kind.section()), organizationId);
        policies(file.path(Policy.SECTION), organizationId);
        return new Result(created, updated, unchanged, List.copyOf(actions));
    }

    /** The organization's id; null when it does not exist yet and this is a dry run. */
    private String organization(ObjectNode desired) {
        String name = desired.path("name").asText();
        Optional<JsonNode> current = find(api.list("/organizations", Map.of()), "name", name);
        if (current.isEmpty()) {
            act("create organization " + name);
            created++;
            return dryRun ? null : api.post("/organizations", desired).path("id").asText();
        }
        String id = current.get().path("id").asText();
        update("organization " + name, "/organizations/" + id, desired, current.get(), Kind.ORGANIZATION_FIELDS);
        return id;
    }

    private void objects(Kind kind, JsonNode entries, String organizationId) {
        if (entries.isMissingNode() || entries.isNull()) return;
        if (!entries.isArray()) throw new CliException(kind.section() + ": expected a list");
        List<JsonNode> existing = organizationId == null ? List.of()
                : api.list(kind.base(), Map.of("organizationId", organizationId));
        for (int i = 0; i < entries.size(); i++) {
            ObjectNode desired = Fields.desired(entries.get(i), kind.fields(), kind.softFields(), kind.section() + "[" + i + "]");
            String key = desired.path(kind.key()).asText();
            Optional<JsonNode> current = find(existing, kind.key(), key);
            if (current.isEmpty()) {
                act("create " + kind.label() + " " + key);
                created++;
                if (!dryRun) {
                    ObjectNode body = Fields.body(desired);
                    body.put("organizationId", organizationId);
                    api.post(kind.base(), body);
                }
            } else {
                update(kind.label() + " " + key, kind.base() + "/" + current.get().path("id").asText(), desired, current.get(), kind.fields());
            }
        }
    }

    /**
     * The policies the file gives, compared field by field with the organization's. A new
     * organization's (in a dry run, before it exists) are reported as set with the fields given.
     */
    private void policies(JsonNode section, String organizationId) {
        if (section.isMissingNode() || section.isNull()) return;
        if (!section.isObject()) throw new CliException(Policy.SECTION + ": expected a mapping of policies");
        for (var it = section.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (Policy.ALL.stream().noneMatch(p -> p.key().equals(name)))
                throw new CliException(Policy.SECTION + ": unknown policy '" + name + "' (known: "
                        + String.join(", ", Policy.ALL.stream().map(Policy::key).toList()) + ")");
        }
        for (Policy p : Policy.ALL) {
            JsonNode entry = section.get(p.key());
            if (entry == null || entry.isNull()) continue;
            ObjectNode desired = Fields.desired(entry, p.fields(), p.softFields(), Policy.SECTION + "." + p.key());
            if (organizationId == null) {
                List<String> given = new ArrayList<>();
                desired.fieldNames().forEachRemaining(given::add);
                act("set " + p.label() + ": " + String.join(", ", given));
                updated++;
                continue;
            }
            update(p.label(), p.path(organizationId), desired, api.get(p.path(organizationId)), p.fields());
        }
    }

    private void update(String what, String path, ObjectNode desired, JsonNode current, Map<String, JsonNode> fields) {
        List<String> changed = Fields.differences(desired, current);
        if (changed.isEmpty()) {
            unchanged++;
            return;
        }
        if (!dryRun) {
            JsonNode after = api.patch(path, Fields.body(desired));
            // The server may spell a value its own way (192.0.2.1 as 192.0.2.1/32): then nothing changed.
            if (Fields.differences(Fields.project(after, fields), Fields.project(current, fields)).isEmpty()) {
                unchanged++;
                return;
            }
        }
        act("update " + what + ": " + String.join(", ", changed));
        updated++;
    }

    private void act(String line) {
        actions.add(line);
        report.accept(line);
    }

    private static Optional<JsonNode> find(List<JsonNode> items, String field, String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return items.stream().filter(n -> n.path(field).asText("").toLowerCase(Locale.ROOT).equals(k)).findFirst();
    }
}
