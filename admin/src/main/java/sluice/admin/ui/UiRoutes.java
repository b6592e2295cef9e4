package sluice.admin.ui;

import sluice.admin.http.ProblemException;
import sluice.admin.http.Request;
import sluice.admin.http.Response;
import sluice.admin.http.Router;
import sluice.admin.openapi.Operation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /} (the admin center's page) and {@code GET /ui/{file}}, {@code GET /ui/pages/{file}}
 * (its styles and modules). The files are read once, at start-up, from a fixed list: a path can only
 * name a bundled file, never reach elsewhere on the classpath.
 */
public final class UiRoutes {

    private static final String ROOT = "/sluice/admin/ui/";
    /** Every file of the admin center; a file added to the resources must be added here. */
    static final List<String> FILES = List.of("index.html", "app.css", "app.js", "api.js", "dom.js", "icon.svg",
            "pages/login.js", "pages/dashboard.js", "pages/chart.js", "pages/domains.js", "pages/mailboxes.js",
            "pages/connectors.js", "pages/wizard.js", "pages/rules.js", "pages/policies.js", "pages/dkim.js", "pages/quarantine.js",
            "pages/trace.js", "pages/queue.js", "pages/users.js", "pages/audit.js");

    private final Map<String, Response> files = new LinkedHashMap<>();

    public UiRoutes() {
        for (String name : FILES) files.put(name, Response.text(200, contentType(name), read(name)));
    }

    public void register(Router router) {
        router.addOpen("GET", "/", r -> file("index.html"))
                .addOpen("GET", "/ui/{file}", r -> file(r.param("file")))
                .addOpen("GET", "/ui/pages/{file}", r -> file("pages/" + r.param("file")));
    }

    /** How the OpenAPI document describes these routes. */
    public static Map<String, Operation> operations() {
        return Map.of(
                "GET /", Operation.of("The web admin center (HTML)").returns(String.class).open(),
                "GET /ui/{file}", Operation.of("A stylesheet, script or image of the web admin center").returns(String.class).open(),
                "GET /ui/pages/{file}", Operation.of("A page module of the web admin center").returns(String.class).open());
    }

    private Response file(String name) {
        Response r = files.get(name);
        if (r == null) throw ProblemException.notFound("There is no file /ui/" + name + ".");
        return r;
    }

    private static String read(String name) {
        try (InputStream in = UiRoutes.class.getResourceAsStream(ROOT + name)) {
            if (in == null) throw new IllegalStateException("the admin center file " + name + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String contentType(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "html" -> "text/html; charset=utf-8";
            case "css" -> "text/css; charset=utf-8";
            case "js" -> "text/javascript; charset=utf-8";
            case "svg" -> "image/svg+xml";
            default -> throw new IllegalArgumentException("no content type for " + name);
        };
    }
}
