package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.testing.HeldPasswordChecks;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No client holds a connection slot for ever: one that keeps the connection busy but never logs in is
 * logged out at a deadline counted from connect, STARTTLS included; one that sends commands and never
 * reads the responses is cut off once a write has been blocked for the write timeout.
 */
class ClientsCannotHoldAConnectionForEverTest {

    static final String TOO_LONG = "* BYE Autologout; too long without logging in; connect again and log in";

    @TempDir
    Path dir;
    ImapFixture f;

    @AfterEach
    void stop() {
        if (f != null) f.close();
    }

    /** A NOOP every 100 ms, well within the minute a silent client is given, until the server says BYE. */
    private static String noopUntilBye(ImapClient c) throws IOException {
        for (int i = 0; i < 100; i++) {
            c.send("n" + i + " NOOP\r\n");
            String line = c.line();
            if (line == null || line.startsWith("* BYE")) return line;
            assertThat(line).isEqualTo("n" + i + " OK NOOP completed");
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
        return "still connected after 10 s";
    }

    @Test
    void aBusyClientThatNeverLogsInIsLoggedOutAtTheDeadline() throws Exception {
        f = new ImapFixture(dir, config -> config.withDeadlines(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        long start = System.nanoTime();
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            assertThat(c.line()).startsWith("* OK ");
            assertThat(noopUntilBye(c)).isEqualTo(TOO_LONG);
            assertThat(c.line()).isNull();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        awaitTrue(() -> f.server.sessionCount() == 0);
    }

    @Test
    void theDeadlineRunsOnAfterStartTls() throws Exception {
        f = new ImapFixture(dir, config -> config.withDeadlines(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.startTls(ImapFixture.clientTls());
            String end;
            try {
                end = noopUntilBye(c);
            } catch (IOException closedDuringTls) {
                end = null; // TLS may refuse the BYE once its input was shut; closing is what counts
            }
            assertThat(end).isIn(TOO_LONG, null);
        }
        awaitTrue(() -> f.server.sessionCount() == 0);
    }

    @Test
    void aLoggedInClientIsNotCutOffByTheLoginDeadline() throws Exception {
        f = new ImapFixture(dir, config -> config.withDeadlines(Duration.ofMillis(500), Duration.ofMinutes(5)));
        f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            Thread.sleep(1_000);
            assertThat(c.command("a", "NOOP")).containsExactly("a OK NOOP completed");
        }
    }

    @Test
    void aLoginStillWaitingForItsPasswordCheckAtTheDeadlineIsNotToldItLoggedIn() throws Exception {
        f = new ImapFixture(dir, config -> config.withDeadlines(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        HeldPasswordChecks held = null;
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            long start = System.nanoTime();
            c.line();
            c.startTls(ImapFixture.clientTls());
            held = HeldPasswordChecks.of(f.logins); // the login waits (up to 2 s here) past the 1 s deadline
            c.send("a LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\"\r\n");
            Thread.sleep(Math.max(0, 1_500 - Duration.ofNanos(System.nanoTime() - start).toMillis()));
            assertThat(held.release()).isTrue(); // the check runs now and finds the password right
            List<String> heard = new ArrayList<>();
            try {
                for (String line; (line = c.line()) != null; ) heard.add(line);
            } catch (IOException closedDuringTls) {
                // TLS may refuse the BYE once its input was shut; closing is what counts
            }
            assertThat(heard).noneMatch(line -> line.startsWith("a OK")).isSubsetOf(TOO_LONG);
        } finally {
            if (held != null) held.release();
        }
        awaitTrue(() -> f.server.sessionCount() == 0);
    }

    @Test
    void aClientThatNeverReadsItsResponsesIsCutOff() throws Exception {
        f = new ImapFixture(dir, config -> config.withDeadlines(Duration.ofMinutes(2), Duration.ofMillis(500)));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), f.server.port()));
            awaitTrue(() -> f.server.sessionCount() == 1);
            Thread flood = Thread.ofVirtual().start(() -> {
                byte[] commands = "a CAPABILITY\r\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                try {
                    OutputStream out = s.getOutputStream();
                    while (true) out.write(commands); // never reads a response
                } catch (IOException closed) {
                    // cut off, or the test closed the socket
                }
            });
            awaitTrue(() -> f.server.sessionCount() == 0, Duration.ofSeconds(20));
            s.close();
            assertThat(flood.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        awaitTrue(condition, Duration.ofSeconds(5));
    }

    private static void awaitTrue(BooleanSupplier condition, Duration atMost) throws InterruptedException {
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end && !condition.getAsBoolean()) Thread.sleep(10);
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
