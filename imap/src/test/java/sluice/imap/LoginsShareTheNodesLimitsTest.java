package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.testing.HeldPasswordChecks;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IMAP logins check passwords within the node's login limits, the ones SMTP AUTH uses: the node's
 * two password checks at a time (a login that gets none in time is told to try again), and the
 * failed-login limit per client, which logins sent in parallel cannot outrun, and which correct
 * logins sent in parallel never hit.
 */
class LoginsShareTheNodesLimitsTest {

    static final String THROTTLED = "NO [UNAVAILABLE] Too many failed logins from your address; try again later";

    @TempDir
    Path dir;
    ImapFixture f;
    HeldPasswordChecks held;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (held != null) held.release();
        f.close();
    }

    /** Both of the node's password checks taken, as by two slow SMTP AUTH logins, until the test releases them. */
    private void takeBothChecks() throws InterruptedException {
        held = HeldPasswordChecks.of(f.logins);
    }

    private ImapClient overTls() throws IOException {
        ImapClient c = ImapClient.connect(f.server.port());
        c.line();
        c.startTls(ImapFixture.clientTls());
        return c;
    }

    @Test
    void aLoginWhileTheNodesChecksAreTakenIsToldToTryAgainAndIsNotCountedAsAFailure() throws Exception {
        takeBothChecks();
        try (ImapClient c = overTls()) {
            assertThat(c.command("a", "LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\""))
                    .containsExactly("a NO [UNAVAILABLE] Too many logins at once; try again in a moment");
            assertThat(held.release()).isTrue();
            assertThat(c.command("b", "LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\"").getLast()).startsWith("b OK ");
        }
        assertThat(f.server.failedLogins()).isZero();
    }

    @Test
    void parallelWrongLoginsFromOneClientGetNoMoreChecksThanTheFailedLoginLimit() throws Exception {
        List<ImapClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) clients.add(overTls());
        takeBothChecks(); // the guesses within the limit wait for a check, as behind slow Argon2 checks
        List<String> replies = new CopyOnWriteArrayList<>();
        List<Thread> guessing = new ArrayList<>();
        for (ImapClient c : clients) guessing.add(Thread.ofVirtual().start(() -> {
            try {
                replies.add(c.command("g", "LOGIN alice@a.example guess").getLast());
            } catch (IOException e) {
                replies.add(e.toString());
            }
        }));
        awaitTrue(() -> f.logins.waitingLogins() == 3);
        assertThat(replies).as("three wait for a check, three for the outcome of those").isEmpty();
        assertThat(held.release()).isTrue();
        for (Thread t : guessing) assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        assertThat(replies).filteredOn(r -> r.equals("g NO [AUTHENTICATIONFAILED] Authentication failed")).hasSize(3);
        assertThat(replies).filteredOn(r -> r.equals("g " + THROTTLED)).hasSize(3);
        for (ImapClient c : clients) c.close();
    }

    @Test
    void parallelCorrectLoginsFromOneClientAreNeverRefusedAsFailedLogins() throws Exception {
        List<ImapClient> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) clients.add(overTls());
        takeBothChecks(); // slow checks: more correct logins wait than the failed-login limit (3 here)
        List<String> replies = new CopyOnWriteArrayList<>();
        List<Thread> logins = new ArrayList<>();
        for (ImapClient c : clients) logins.add(Thread.ofVirtual().start(() -> {
            try {
                replies.add(c.command("a", "LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\"").getLast());
            } catch (IOException e) {
                replies.add(e.toString());
            }
        }));
        awaitTrue(() -> f.logins.waitingLogins() == 3);
        assertThat(replies).isEmpty();
        assertThat(held.release()).isTrue();
        for (Thread t : logins) assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        assertThat(replies).hasSize(6).allMatch(r -> r.startsWith("a OK "), "a tagged OK");
        assertThat(f.server.failedLogins()).isZero();
        for (ImapClient c : clients) c.close();
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) Thread.sleep(10);
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
