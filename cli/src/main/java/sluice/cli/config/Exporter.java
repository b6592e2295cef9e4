package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import sluice.cli.http.Api;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An organization's configuration as a tree: the organization, then each kind's objects sorted by
 * their natural key (rules by priority), without ids, so two servers with the same configuration export the same file;
 * then its protection policies. DKIM keys are left out: their private keys never leave the server.
 */
final class Exporter {

    static final int VERSION = 1;

    private final Api api;

    Exporter(Api api) {
        this.api = api;
    }

    ObjectNode export(String organizationId) {
        JsonNode org = api.get("/organizations/" + organizationId);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("version", VERSION);
        root.set(Kind.ORGANIZATION, Fields.project(org, Kind.ORGANIZATION_FIELDS));
        for (Kind kind : Kind.ALL) {
            List<JsonNode> items = api.list(kind.base(), Map.of("organizationId", organizationId));
            ArrayNode out = root.putArray(kind.section());
            items.stream()
                    .sorted(kind.ordered() ? Comparator.comparingInt(n -> n.path("priority").asInt())
                            : Comparator.comparing(n -> n.path(kind.key()).asText("").toLowerCase(Locale.ROOT)))
                    .forEach(n -> out.add(Fields.project(n, kind.fields())));
        }
        ObjectNode policies = root.putObject(Policy.SECTION);
        for (Policy p : Policy.ALL) policies.set(p.key(), Fields.project(api.get(p.path(organizationId)), p.fields()));
        return root;
    }
}
