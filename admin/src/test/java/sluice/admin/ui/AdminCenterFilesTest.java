package sluice.admin.ui;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin center's files are served without authentication under the page policy, only from the
 * bundled list, and obey that policy: no inline script or style, no eval, no markup built from strings,
 * and every module they import is one of the bundled files.
 */
class AdminCenterFilesTest {

    private final AdminFixture api = new AdminFixture();

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void theStartPageIsServedUnderThePagePolicy() {
        var reply = api.send("GET", "/", null, null);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(reply.header("Content-Security-Policy")).startsWith("default-src 'self'").contains("frame-ancestors 'none'");
        assertThat(reply.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(reply.body()).contains("<script type=\"module\" src=\"/ui/app.js\"></script>");
    }

    @Test
    void modulesAndStylesHaveTheirContentTypes() {
        assertThat(api.send("GET", "/ui/app.js", null, null).header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(api.send("GET", "/ui/pages/trace.js", null, null).header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
        assertThat(api.send("GET", "/ui/app.css", null, null).header("Content-Type")).isEqualTo("text/css; charset=utf-8");
        assertThat(api.send("GET", "/ui/icon.svg", null, null).header("Content-Type")).isEqualTo("image/svg+xml");
    }

    @Test
    void onlyBundledFilesAreServed() {
        assertThat(api.send("GET", "/ui/nope.js", null, null).status()).isEqualTo(404);
        assertThat(api.send("GET", "/ui/..%2Fui%2FUiRoutes.class", null, null).status()).isEqualTo(404);
        assertThat(api.send("GET", "/ui/pages/..%2Fapp.js", null, null).status()).isEqualTo(404);
        assertThat(api.send("GET", "/ui/pages/login.js", null, null).status()).isEqualTo(200);
    }

    @Test
    void noFileBreaksThePagePolicyOrBuildsMarkupFromStrings() {
        Pattern inlineScript = Pattern.compile("<script(?![^>]*\\bsrc=)[^>]*>", Pattern.CASE_INSENSITIVE);
        Pattern inlineHandlerOrStyle = Pattern.compile("\\s(on[a-z]+|style)\\s*=\\s*\"", Pattern.CASE_INSENSITIVE);
        for (String name : UiRoutes.FILES) {
            String body = api.send("GET", "/ui/" + name, null, null).body();
            if (name.equals("index.html")) body = api.send("GET", "/", null, null).body();
            assertThat(body).as(name).isNotBlank();
            if (name.endsWith(".html")) {
                assertThat(inlineScript.matcher(body).find()).as(name + ": inline script").isFalse();
                assertThat(inlineHandlerOrStyle.matcher(body).find()).as(name + ": inline handler or style").isFalse();
                assertThat(body).as(name).doesNotContain("<style");
            }
            if (name.endsWith(".js"))
                assertThat(body.replace("'http://www.w3.org/2000/svg'", "SVG_NS")).as(name).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(", "new Function",
                        "document.write", "http://", "https://");
        }
    }

    @Test
    void everyImportedModuleIsBundled() {
        Pattern imports = Pattern.compile("(?:from\\s+|import\\()\\s*[`'\"]([^`'\"]+)[`'\"]");
        for (String name : UiRoutes.FILES) {
            if (!name.endsWith(".js")) continue;
            String dir = name.contains("/") ? name.substring(0, name.lastIndexOf('/') + 1) : "";
            Matcher m = imports.matcher(api.send("GET", "/ui/" + name, null, null).body());
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("${")) continue; // the shell's page table, checked below
                String resolved = java.net.URI.create("http://x/" + dir).resolve(target).getPath().substring(1);
                assertThat(UiRoutes.FILES).as(name + " imports " + target).contains(resolved);
            }
        }
        String shell = api.send("GET", "/ui/app.js", null, null).body();
        Matcher pages = Pattern.compile("\\['[a-z]+', '[^']+', '([a-z]+)', '(?:all|admins)'\\]").matcher(shell);
        int count = 0;
        while (pages.find()) {
            assertThat(UiRoutes.FILES).contains("pages/" + pages.group(1) + ".js");
            count++;
        }
        assertThat(count).as("pages in the shell's table").isGreaterThanOrEqualTo(10);
    }
}
