package sluice.admin;

import org.junit.jupiter.api.Test;
import sluice.admin.auth.CookieSecurity;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;
import sluice.core.connector.IpRange;

import java.net.http.HttpRequest;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plain-HTTP admin listener learns that the browser used HTTPS only from the operator
 * ({@code admin.secureCookies}) or from a proxy it trusts ({@code admin.trustedProxies}): an
 * {@code X-Forwarded-Proto} from any other peer is what that client chose to send. (This test's client
 * connects from 127.0.0.1.)
 */
class ForwardedProtoFromTrustedProxiesTest {

    private static final String PASSWORD = "correct horse battery";
    private static final String PLAIN = "sluice_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict";
    private static final String SECURE = "__Host-sluice_session=[A-Za-z0-9_-]{43}; Path=/; HttpOnly; SameSite=Strict; Secure";

    private static String cookieAfterLogin(CookieSecurity cookies, String forwardedProto) {
        try (AdminFixture api = new AdminFixture(cookies)) {
            api.user("ann", AdminRole.GLOBAL_ADMIN, PASSWORD);
            HttpRequest.Builder login = HttpRequest.newBuilder(api.uri("/api/v1/session")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ann\",\"password\":\"" + PASSWORD + "\"}"));
            if (forwardedProto != null) login.header("X-Forwarded-Proto", forwardedProto);
            var reply = api.send(login.build());
            assertThat(reply.status()).isEqualTo(200);
            return reply.header("Set-Cookie");
        }
    }

    @Test
    void aPeerThatIsNoTrustedProxyCannotSayHttps() {
        var elsewhere = new CookieSecurity(false, List.of(IpRange.parse("192.0.2.0/24")));
        assertThat(cookieAfterLogin(elsewhere, "https")).matches(PLAIN);
    }

    @Test
    void aTrustedProxySaysHttps() {
        assertThat(cookieAfterLogin(new CookieSecurity(false, List.of(IpRange.parse("127.0.0.1"))), "https")).matches(SECURE);
        assertThat(cookieAfterLogin(CookieSecurity.DEFAULT, "https")).matches(SECURE);
        assertThat(cookieAfterLogin(CookieSecurity.DEFAULT, null)).matches(PLAIN);
    }

    /** stunnel or HAProxy in TCP mode add no header: the operator says the browser always uses HTTPS. */
    @Test
    void secureCookiesNeedNoHeader() {
        assertThat(cookieAfterLogin(new CookieSecurity(true, List.of()), null)).matches(SECURE);
    }

    /** A session cookie read under the name the trusted-proxy rule chose: the login works end to end. */
    @Test
    void aSessionBehindATrustedProxyIsUsable() {
        try (AdminFixture api = new AdminFixture(new CookieSecurity(true, List.of()))) {
            api.user("ann", AdminRole.GLOBAL_ADMIN, PASSWORD);
            Browser ann = Browser.login(api, "ann", PASSWORD);
            assertThat(ann.send("GET", "/api/v1/session", null).status()).isEqualTo(200);
        }
    }
}
