package sluice.admin.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document matches the live API exactly: every route is documented and every documented
 * operation exists, each with a summary; every schema reference resolves.
 */
class OpenApiDocumentTest {

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theDocumentIsServedWithoutAuthenticationAsOpenApi31() {
        var reply = api.send("GET", "/api/openapi.json", null, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("application/json");
        JsonNode doc = reply.json();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.at("/info/title").asText()).isNotBlank();
        assertThat(doc.at("/components/securitySchemes/session/name").asText()).isEqualTo("sluice_session");
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationExists() {
        JsonNode paths = api.send("GET", "/api/openapi.json", null, null).json().get("paths");
        Set<String> documented = new TreeSet<>();
        paths.properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey())));
        Set<String> routes = new TreeSet<>(api.server().routes());

        assertThat(documented).isEqualTo(routes);
        assertThat(new TreeSet<>(api.server().documentedRoutes().keySet())).as("the description table").isEqualTo(routes);
        paths.properties().forEach(p -> p.getValue().properties().forEach(op ->
                assertThat(op.getValue().get("summary").asText()).as(op.getKey() + " " + p.getKey())
                        .isNotBlank().isNotEqualTo(OpenApiDocument.UNDOCUMENTED)));
        List<String> operationIds = new ArrayList<>();
        paths.forEach(item -> item.forEach(op -> operationIds.add(op.get("operationId").asText())));
        assertThat(operationIds).doesNotHaveDuplicates().hasSize(routes.size());
    }

    @Test
    void openOperationsAreExactlyTheRoutesThatNeedNoAuthentication() {
        JsonNode paths = api.send("GET", "/api/openapi.json", null, null).json().get("paths");
        List<String> open = new ArrayList<>();
        paths.properties().forEach(p -> p.getValue().properties().forEach(op -> {
            if (op.getValue().has("security")) open.add(op.getKey().toUpperCase() + " " + p.getKey());
        }));
        List<String> openInTable = api.server().documentedRoutes().entrySet().stream()
                .filter(e -> e.getValue().unauthenticated()).map(java.util.Map.Entry::getKey).toList();

        assertThat(open).containsExactlyInAnyOrderElementsOf(openInTable)
                .containsExactlyInAnyOrder("POST /api/v1/session", "GET /api/openapi.json", "GET /healthz", "GET /metrics",
                        "GET /", "GET /ui/{file}", "GET /ui/pages/{file}");
        for (String route : open) {
            String[] mp = route.split(" ");
            String path = mp[1].replace("/ui/{file}", "/ui/app.js").replace("/ui/pages/{file}", "/ui/pages/login.js");
            if (!mp[1].equals("/api/v1/session"))
                assertThat(api.send(mp[0], path, null, null).status()).as(route).isEqualTo(200);
        }
    }

    @Test
    void everySchemaReferenceResolvesAndPathParametersAreDeclared() {
        JsonNode doc = api.send("GET", "/api/openapi.json", null, null).json();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);

        assertThat(refs).isNotEmpty();
        for (String ref : refs)
            assertThat(doc.at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        assertThat(doc.at("/paths/~1api~1v1~1users~1{id}/patch/parameters/0/name").asText()).isEqualTo("id");
        assertThat(doc.at("/components/schemas/UserFields/properties/password/writeOnly").asBoolean()).isTrue();
        assertThat(doc.at("/components/schemas/UserView/properties").has("password")).isFalse();
        assertThat(doc.at("/components/schemas/QuarantineReleaseOptions/properties/again/type").toString()).contains("boolean");
        assertThat(doc.at("/paths/~1api~1v1~1quarantine~1{id}~1release/post/summary").asText()).contains("alreadyReleased", "again");
        assertThat(doc.at("/paths/~1api~1v1~1tokens/post/responses/201/content/application~1json/schema/$ref").asText())
                .isEqualTo("#/components/schemas/TokenCreated");
    }

    /** A paged search's limit is a bounded whole number and its cursor an opaque string, both described. */
    @Test
    void thePagedSearchesDescribeLimitAndCursor() {
        JsonNode paths = api.send("GET", "/api/openapi.json", null, null).json().get("paths");
        for (String path : List.of("/api/v1/trace", "/api/v1/quarantine")) {
            JsonNode limit = null, cursor = null;
            for (JsonNode p : paths.get(path).get("get").get("parameters")) {
                if (p.get("name").asText().equals("limit")) limit = p;
                if (p.get("name").asText().equals("cursor")) cursor = p;
            }
            assertThat(limit).as(path).isNotNull();
            assertThat(limit.get("schema").toString()).as(path).isEqualTo("{\"type\":\"integer\",\"minimum\":1,\"maximum\":1000}");
            assertThat(limit.get("description").asText()).as(path).contains("default 100");
            assertThat(cursor).as(path).isNotNull();
            assertThat(cursor.get("schema").toString()).as(path).isEqualTo("{\"type\":\"string\"}");
            assertThat(cursor.get("description").asText()).as(path).contains("Opaque", "nextCursor");
        }
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject() && node.has("$ref")) refs.add(node.get("$ref").asText());
        node.forEach(child -> collectRefs(child, refs));
    }
}
