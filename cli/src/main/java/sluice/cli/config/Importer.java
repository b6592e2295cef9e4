package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.cli.http.Api;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Brings the server in line with a configuration file: creates what is missing, updates what differs,
 * leaves alone what matches (and anything the file does not mention). Running it twice changes
 * nothing the second time. With {@code dryRun} it only reports what it would do. Whether the file
 * may be applied at all, and where, is decided before: {@link ConfigFile}, {@link Target}, {@link GlobalSettings}.
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

    Result apply(ConfigFile file, Target target) {
        String organizationId = organization(file.organization(), target);
        for (Kind kind : Kind.ALL) objects(kind, file.objects(kind), organizationId);
        policies(file.policies(), organizationId);
        return new Result(created, updated, unchanged, List.copyOf(actions));
    }

    /** The organization's id; null when it does not exist yet and this is a dry run. */
    private String organization(ObjectNode desired, Target target) {
        if (target.current() == null) {
            act("create organization " + target.name());
            created++;
            ObjectNode body = desired != null ? desired : JsonNodeFactory.instance.objectNode().put("name", target.name());
            return dryRun ? null : api.post("/organizations", body).path("id").asText();
        }
        if (desired != null)
            update("organization " + target.name(), "/organizations/" + target.id(), desired, target.current(), Kind.ORGANIZATION_FIELDS);
        return target.id();
    }

    private void objects(Kind kind, List<ObjectNode> entries, String organizationId) {
        if (entries.isEmpty()) return;
        List<JsonNode> existing = organizationId == null ? List.of()
                : api.list(kind.base(), Map.of("organizationId", organizationId));
        for (ObjectNode desired : entries) {
            String key = desired.path(kind.key()).asText();
            Optional<JsonNode> current = find(existing, kind, key);
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
    private void policies(Map<Policy, ObjectNode> given, String organizationId) {
        given.forEach((p, desired) -> {
            if (organizationId == null) {
                List<String> fields = new ArrayList<>();
                desired.fieldNames().forEachRemaining(fields::add);
                act("set " + p.label() + ": " + String.join(", ", fields));
                updated++;
                return;
            }
            update(p.label(), p.path(organizationId), desired, api.get(p.path(organizationId)), p.fields());
        });
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

    /** As {@link GlobalSettings} compares them, or the guard would vouch for one object and this update another. */
    private static Optional<JsonNode> find(List<JsonNode> items, Kind kind, String key) {
        String k = kind.canonical(key);
        return items.stream().filter(n -> kind.canonical(n.path(kind.key()).asText("")).equals(k)).findFirst();
    }
}
