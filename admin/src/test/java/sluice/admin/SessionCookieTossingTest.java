package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cookie tossing: a sibling host (Domain=.example.com) or another port of this host can plant a
 * session cookie of the attacker's own account with a narrower Path, which the browser then sends
 * first, next to the victim's; trusting the first would carry the victim's work into the attacker's
 * session. A request with two session cookies is unauthenticated, and over HTTPS the cookie has the
 * __Host- prefix, which a browser accepts only from this host, Secure and for Path=/.
 */
class SessionCookieTossingTest {

    private static final String PASSWORD = "correct horse battery";

    private final AdminFixture api = new AdminFixture();
    private final String contoso = api.organization("Contoso");

    private final String annId = api.user("ann", AdminRole.ORG_ADMIN, PASSWORD, contoso);

    {
        api.user("mallory", AdminRole.ORG_ADMIN, PASSWORD, contoso);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private AdminFixture.Reply whoAmI(String cookieHeader, boolean https) {
        var b = HttpRequest.newBuilder(api.uri("/api/v1/session")).header("Cookie", cookieHeader);
        if (https) b.header("X-Forwarded-Proto", "https");
        return api.send(b.GET().build());
    }

    private AdminFixture.Reply loginOverHttps(String username) {
        return api.send(HttpRequest.newBuilder(api.uri("/api/v1/session")).header("Content-Type", "application/json")
                .header("X-Forwarded-Proto", "https")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}")).build());
    }

    private static String cookieOf(AdminFixture.Reply login) {
        String setCookie = login.header("Set-Cookie");
        return setCookie.substring(0, setCookie.indexOf(';'));
    }

    @Test
    void aRequestWithTwoSessionCookiesIsUnauthenticatedWhicheverComesFirst() {
        String ann = Browser.login(api, "ann", PASSWORD).cookie;
        String mallory = Browser.login(api, "mallory", PASSWORD).cookie;

        for (String header : new String[]{mallory + "; " + ann, ann + "; " + mallory, ann + "; " + ann}) {
            var reply = whoAmI(header, false);
            assertThat(reply.status()).as(header).isEqualTo(401);
            assertThat(reply.json().get("detail").asText()).isEqualTo("Your browser sent more than one session cookie, so "
                    + "whose session this is cannot be told (another site of this domain may have set one). Clear this site's "
                    + "cookies and log in again.");
            // a credential was sent and refused: the web UI shows this detail rather than a blank login page
            assertThat(reply.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"sluice\", error=\"invalid_token\"");
        }
        assertThat(whoAmI(ann, false).json().get("username").asText()).isEqualTo("ann");
    }

    @Test
    void overHttpsTheCookieIsHostPrefixedAndAPlainOnePlantedNextToItDoesNotCount() {
        var login = loginOverHttps("ann");
        assertThat(login.header("Set-Cookie")).matches("__Host-sluice_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure");
        String ann = cookieOf(login);
        String planted = "sluice_session=" + cookieOf(Browser.loginReply(api, "mallory", PASSWORD)).split("=", 2)[1];

        assertThat(whoAmI(planted + "; " + ann, true).json().get("username").asText()).isEqualTo("ann");
        assertThat(whoAmI(planted, true).status()).as("the unprefixed name is not read over HTTPS").isEqualTo(401);

        var logout = api.send(HttpRequest.newBuilder(api.uri("/api/v1/session")).header("Cookie", ann)
                .header("X-Forwarded-Proto", "https").header("X-CSRF-Token", login.json().get("csrfToken").asText()).DELETE().build());
        assertThat(logout.status()).isEqualTo(204);
        assertThat(logout.header("Set-Cookie")).isEqualTo("__Host-sluice_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");
        assertThat(whoAmI(ann, true).status()).isEqualTo(401);
    }

    /** The password change reads the session it keeps by the prefixed name too. */
    @Test
    void overHttpsChangingOnesOwnPasswordKeepsThatSession() {
        var login = loginOverHttps("ann");
        String ann = cookieOf(login);

        var change = api.send(HttpRequest.newBuilder(api.uri("/api/v1/users/" + annId + "/password")).header("Cookie", ann)
                .header("X-Forwarded-Proto", "https").header("X-CSRF-Token", login.json().get("csrfToken").asText())
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"password\": \"a new and longer password\", \"currentPassword\": \"" + PASSWORD + "\"}")).build());

        assertThat(change.status()).as(change.body()).isEqualTo(204);
        assertThat(whoAmI(ann, true).json().get("username").asText()).isEqualTo("ann");
    }
}
