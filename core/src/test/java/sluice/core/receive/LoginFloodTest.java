package sluice.core.receive;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.filter.Pipeline;
import sluice.core.testing.HeldPasswordChecks;
import sluice.core.testing.LoginTiming;
import sluice.core.testing.MemoryDkimKeys;
import sluice.core.testing.MemoryPolicies;
import sluice.smtp.server.SmtpServer;
import sluice.smtp.server.SmtpServerConfig;

import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMTP AUTH during a flood of logins, over real sockets: while both password checks are taken, a
 * login waits its turn and then hears {@code 454 4.7.0} (RFC 4954 section 6, a temporary failure,
 * which is not the client's error); no way of ending a wait or a check keeps a turn; and guesses sent in
 * parallel get no more password checks than the failed-login limit.
 */
class LoginFloodTest {

    private static final String THROTTLED = "454 4.7.0 Too many failed authentication attempts, try again later";
    private static final String FAILED = "535 5.7.8 Authentication credentials invalid";
    private static final String BUSY = "454 4.7.0 Temporary authentication failure: too many logins at once, try again later";

    private HeldPasswordChecks held;
    private SubmissionLimits limits;
    private SmtpServer server;

    private void start(Duration checkWait) throws Exception {
        start(checkWait, 1_000);
    }

    private void start(Duration checkWait, int failures) throws Exception {
        limits = new SubmissionLimits(30, Duration.ofMinutes(1), failures, Duration.ofMinutes(10), checkWait);
        Receiver receiver = new Receiver(null, LoginTiming.directory(), null, null, null, null, null, InstantSource.system(),
                ZoneOffset.UTC, "mx.test", LoginTiming.PASSWORDS, limits, new Pipeline(List.of(), new MemoryPolicies()),
                null, new MemoryDkimKeys());
        // two errors end a session: were a busy checker the client's error, the third 454 would be a 421
        server = new SmtpServer(SmtpServerConfig.builder("mx.test").authEnabled(true).requireTlsForAuth(false)
                .maxErrors(2).errorDelay(Duration.ZERO).build(), receiver.submission()).start();
    }

    /** Both turns taken by checks that end only when the test says so, as two slow logins would. */
    private void takeBothTurns() throws InterruptedException {
        held = HeldPasswordChecks.of(limits);
    }

    private void endStuckChecks() throws InterruptedException {
        assertThat(held.release()).isTrue();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (held != null) held.release();
        if (server != null) server.close();
    }

    @Test
    void aLoginWhileBothChecksAreTakenIsToldToTryLaterAndGetsInOnceOneEnds() throws Exception {
        start(Duration.ofMillis(200));
        takeBothTurns();
        try (WireClient c = new WireClient("127.0.0.1", server.port())) {
            for (int i = 0; i < 3; i++) assertThat(c.authPlain("alice@a.example", LoginTiming.PASSWORD)).isEqualTo(BUSY);
            endStuckChecks();
            assertThat(c.authPlain("alice@a.example", LoginTiming.PASSWORD)).isEqualTo("235 2.7.0 Authentication successful");
        }
        assertThat(limits.idleChecks()).as("turns timed out waiting were never held").isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
    }

    @Test
    void aClientThatLeavesWhileItsLoginWaitsTakesNoTurnWithIt() throws Exception {
        start(Duration.ofSeconds(20));
        takeBothTurns();
        try (WireClient c = new WireClient("127.0.0.1", server.port())) {
            c.sendOnly("AUTH PLAIN " + WireClient.plain("alice@a.example", LoginTiming.PASSWORD));
            awaitTrue(() -> limits.waitingChecks() == 1);
        }
        endStuckChecks(); // the abandoned login gets its turn now, checks a password for no one, and gives it back
        awaitTrue(() -> server.sessionCount() == 0);
        assertThat(limits.idleChecks()).isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
        try (WireClient c = new WireClient("127.0.0.1", server.port())) {
            assertThat(c.authPlain("alice@a.example", LoginTiming.PASSWORD)).isEqualTo("235 2.7.0 Authentication successful");
        }
    }

    /** {@code count} connections from one client, each sending AUTH PLAIN with {@code password} at once; replies land in {@code replies}. */
    private List<Thread> authInParallel(int count, String password, List<String> replies) throws IOException {
        List<Thread> logins = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            WireClient c = new WireClient("127.0.0.1", server.port());
            logins.add(Thread.ofVirtual().start(() -> {
                try (c) {
                    replies.add(c.authPlain("alice@a.example", password));
                } catch (IOException e) {
                    replies.add(e.toString());
                }
            }));
        }
        return logins;
    }

    @Test
    void parallelGuessesFromOneClientGetNoMoreChecksThanTheFailedLoginLimit() throws Exception {
        start(Duration.ofSeconds(20), 3);
        takeBothTurns(); // the guesses within the limit wait for a turn, as behind slow Argon2 checks
        List<String> replies = new CopyOnWriteArrayList<>();
        List<Thread> guessing = authInParallel(8, "guess", replies);
        awaitTrue(() -> limits.waitingChecks() == 3 && limits.waitingLogins() == 5);
        assertThat(replies).as("three wait for a turn, five for the outcome of those three").isEmpty();
        endStuckChecks();
        for (Thread t : guessing) assertThat(t.join(Duration.ofSeconds(5))).isTrue();
        assertThat(replies).filteredOn(FAILED::equals).hasSize(3);
        assertThat(replies).filteredOn(THROTTLED::equals).hasSize(5);
        assertThat(limits.idleChecks()).isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
    }

    @Test
    void parallelCorrectLoginsFromOneClientAreNeverTakenForFailures() throws Exception {
        start(Duration.ofSeconds(20), 3);
        takeBothTurns(); // slow checks: more logins wait than the failed-login limit
        List<String> replies = new CopyOnWriteArrayList<>();
        List<Thread> logins = authInParallel(6, LoginTiming.PASSWORD, replies);
        awaitTrue(() -> limits.waitingChecks() == 3 && limits.waitingLogins() == 3);
        assertThat(replies).isEmpty();
        endStuckChecks();
        for (Thread t : logins) assertThat(t.join(Duration.ofSeconds(10))).isTrue();
        assertThat(replies).hasSize(6).containsOnly("235 2.7.0 Authentication successful");
        assertThat(limits.idleChecks()).isEqualTo(SubmissionLimits.CONCURRENT_CHECKS);
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) Thread.sleep(10);
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
