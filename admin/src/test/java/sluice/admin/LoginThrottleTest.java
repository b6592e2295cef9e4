package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;
import sluice.admin.testing.Browser;
import sluice.core.account.AdminRole;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Five failed logins for one username in 15 minutes, or twenty from one address, and the door closes for a while. */
class LoginThrottleTest {

    private static final String PASSWORD = "correct horse battery";

    private final AdminFixture api = new AdminFixture();

    {
        api.user("ann", AdminRole.GLOBAL_ADMIN, PASSWORD);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void fiveFailuresForAUsernameLockItEvenWithTheRightPasswordUntilTheWindowPasses() {
        for (int i = 0; i < 5; i++) {
            assertThat(Browser.loginReply(api, "ann", "guess " + i).status()).isEqualTo(401);
            api.clock.advance(Duration.ofMinutes(1));
        }
        var locked = Browser.loginReply(api, "ANN", PASSWORD);

        assertThat(locked.status()).isEqualTo(429);
        // failures at minutes 0..4, now minute 5: the first one leaves the window at minute 15
        assertThat(locked.header("Retry-After")).isEqualTo(Long.toString(Duration.ofMinutes(10).toSeconds()));
        assertThat(locked.json().get("title").asText()).isEqualTo("Too Many Requests");
        assertThat(locked.header("Set-Cookie")).isNull();

        api.clock.advance(Duration.ofMinutes(10).minusSeconds(1));
        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(429);
        api.clock.advance(Duration.ofSeconds(1));
        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(200);
    }

    @Test
    void aSuccessClearsTheUsernamesFailures() {
        for (int i = 0; i < 4; i++) Browser.loginReply(api, "ann", "guess " + i);
        Browser.login(api, "ann", PASSWORD);
        for (int i = 0; i < 4; i++) assertThat(Browser.loginReply(api, "ann", "again " + i).status()).isEqualTo(401);
    }

    @Test
    void guessesSentAllAtOnceAreCountedBeforeTheirPasswordsAreChecked() throws Exception {
        // A real Argon2id cost for this account, so every verification takes long enough that all
        // guesses arrive while the first ones are still being checked.
        String slow = new sluice.core.org.Passwords(19_456, 2, 1).hash(PASSWORD);
        api.users.create(new sluice.core.account.User("bob-id", "bob", null, AdminRole.GLOBAL_ADMIN, java.util.Set.of(), true, slow));
        List<java.util.concurrent.Future<Integer>> replies = new java.util.ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 15; i++) {
                String guess = "guess number " + i;
                replies.add(threads.submit(() -> Browser.loginReply(api, "bob", guess).status()));
            }
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var r : replies) statuses.add(r.get());

        assertThat(statuses).filteredOn(s -> s == 401).hasSize(5);
        assertThat(statuses).filteredOn(s -> s == 429).hasSize(10);
        assertThat(Browser.loginReply(api, "bob", PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void aSuccessGivesTheAddressItsAttemptBack() {
        for (int i = 0; i < 19; i++) {
            if (i % 4 == 0) Browser.login(api, "ann", PASSWORD);
            else assertThat(Browser.loginReply(api, "user" + i, "guess").status()).isEqualTo(401);
        }
        // 5 successes and 14 failures so far: six more failures fit before the address limit of twenty
        for (int i = 0; i < 6; i++) assertThat(Browser.loginReply(api, "other" + i, "guess").status()).isEqualTo(401);
        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(429);
    }

    @Test
    void twentyFailuresFromOneAddressLockEveryUsernameFromIt() {
        for (int i = 0; i < 20; i++) assertThat(Browser.loginReply(api, "user" + i, "guess").status()).isEqualTo(401);

        assertThat(Browser.loginReply(api, "ann", PASSWORD).status()).isEqualTo(429);
    }
}
