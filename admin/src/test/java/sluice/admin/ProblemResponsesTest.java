package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** The error contract shared by every route: RFC 9457 bodies, 404, 405, 400 for bad JSON, 413, headers. */
class ProblemResponsesTest {

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void anUnknownRouteIsAProblem404() {
        var reply = api.get("/api/v1/connectors");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).isEqualTo("application/problem+json");
        var p = reply.json();
        assertThat(p.get("type").asText()).isEqualTo("about:blank");
        assertThat(p.get("title").asText()).isEqualTo("Not Found");
        assertThat(p.get("status").asInt()).isEqualTo(404);
        assertThat(p.get("detail").asText()).isEqualTo("There is no resource at /api/v1/connectors.");
        assertThat(p.get("instance").asText()).isEqualTo("/api/v1/connectors");
    }

    @Test
    void aTrailingSlashOrEmptySegmentIsNotARoute() {
        assertThat(api.get("/api/v1/organizations/").status()).isEqualTo(404);
        assertThat(api.get("/api/v1//organizations").status()).isEqualTo(404);
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        var reply = api.send("PUT", "/api/v1/organizations", AdminFixture.ADMIN, "{}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).isEqualTo("GET, POST");
        assertThat(reply.json().get("title").asText()).isEqualTo("Method Not Allowed");
    }

    @Test
    void malformedJsonIs400AndSaysWhere() {
        var reply = api.post("/api/v1/organizations", "{\"name\": ");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).startsWith("Malformed JSON at line 1");
    }

    @Test
    void anEmptyBodyAWrongTypeAndAnUnknownFieldAreEach400() {
        assertThat(api.post("/api/v1/organizations", "").json().get("detail").asText())
                .isEqualTo("A JSON request body is required.");
        assertThat(api.post("/api/v1/organizations", "[1]").json().get("detail").asText())
                .isEqualTo("The request body must be a JSON object.");
        assertThat(api.post("/api/v1/organizations", "{\"name\": 42}").json().get("detail").asText())
                .isEqualTo("Field 'name' must be a string.");
        assertThat(api.post("/api/v1/organizations", "{\"name\": \"A\", \"rejectDirectSend\": \"yes\"}").json().get("detail").asText())
                .isEqualTo("Field 'rejectDirectSend' must be true or false.");
        var unknown = api.post("/api/v1/organizations", "{\"nmae\": \"A\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("detail").asText()).isEqualTo("Unknown field 'nmae'; allowed fields: name, rejectDirectSend.");
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIs415() {
        var form = api.send(HttpRequest.newBuilder(api.uri("/api/v1/organizations"))
                .header("Authorization", "Bearer " + AdminFixture.ADMIN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Contoso\"}")).build());
        var charset = api.send(HttpRequest.newBuilder(api.uri("/api/v1/organizations"))
                .header("Authorization", "Bearer " + AdminFixture.ADMIN)
                .header("Content-Type", "Application/JSON; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Contoso\"}")).build());

        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("title").asText()).isEqualTo("Unsupported Media Type");
        assertThat(charset.status()).isEqualTo(201);
        assertThat(api.directory.organizations()).hasSize(1);
    }

    @Test
    void aBodyOverOneMebibyteIs413() {
        String big = "{\"name\": \"" + "x".repeat(AdminServer.MAX_BODY_BYTES) + "\"}";

        var reply = api.post("/api/v1/organizations", big);

        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("title").asText()).isEqualTo("Content Too Large");
        assertThat(api.directory.organizations()).isEmpty();
    }

    @Test
    void aClientStillSendingAnOversizedBodyReadsThe413EveryTime() {
        // the server answered and closed before reading the body: the client's next write met a reset and it
        // saw a broken connection instead of the 413, about once in a few hundred requests
        String big = "{\"name\": \"" + "x".repeat(AdminServer.MAX_BODY_BYTES) + "\"}";
        for (int i = 0; i < 200; i++) assertThat(api.post("/api/v1/organizations", big).status()).as("request %d", i).isEqualTo(413);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        byte[] big = new byte[AdminServer.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(big, (byte) ' ');
        var request = HttpRequest.newBuilder(api.uri("/api/v1/organizations"))
                .header("Authorization", "Bearer " + AdminFixture.ADMIN)
                // an unknown length makes the client send chunked, so the server has to count
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();

        assertThat(api.send(request).status()).isEqualTo(413);
    }

    @Test
    void unknownQueryParametersAre400SoATypoCannotWidenASearch() {
        var reply = api.get("/api/v1/trace?sendr=a@b.example");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().get("detail").asText()).startsWith("Unknown query parameter 'sendr'");
    }

    @Test
    void anUnexpectedFailureIsA500WithAGenericDetailAndNoTrace() {
        api.trace.failNextSearch(new IllegalStateException("connection to jdbc:postgresql://db failed, password=hunter2"));

        var reply = api.get("/api/v1/trace");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.json().get("detail").asText()).startsWith("An internal error occurred; it has been logged.");
        assertThat(reply.body()).doesNotContain("hunter2").doesNotContain("Exception").doesNotContain("sluice.");
    }

    @Test
    void everyResponseCarriesSecureHeaders() {
        for (var reply : new AdminFixture.Reply[]{api.get("/api/v1/organizations"), api.get("/nope"),
                api.send("GET", "/healthz", null, null)}) {
            assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(reply.header("Cache-Control")).isEqualTo("no-store");
            assertThat(reply.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(reply.header("Referrer-Policy")).isEqualTo("no-referrer");
            assertThat(reply.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        }
        // The API's JSON may load nothing; pages (the web UI) may load only from us.
        assertThat(api.get("/api/v1/organizations").header("Content-Security-Policy")).startsWith("default-src 'none'");
        assertThat(api.get("/nope").header("Content-Security-Policy")).startsWith("default-src 'self'");
    }
}
