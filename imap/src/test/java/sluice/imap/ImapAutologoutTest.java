package sluice.imap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A silent client is logged out with BYE when the autologout timer runs out (RFC 9051 section 5.4). */
class ImapAutologoutTest {

    @TempDir
    Path dir;

    @Test
    void anIdleConnectionIsClosedWithBye() throws Exception {
        try (ImapFixture f = new ImapFixture(dir, Duration.ofMillis(500), Duration.ofMillis(100));
             ImapClient c = ImapClient.connect(f.server.port())) {
            assertThat(c.line()).startsWith("* OK ");
            assertThat(c.line()).isEqualTo("* BYE Autologout; idle for too long");
            assertThat(c.line()).isNull();
        }
    }

    @Test
    void beforeLoginTheShorterLoginTimeoutAppliesAndAfterLoginTheAutologoutTimer() throws Exception {
        try (ImapFixture f = new ImapFixture(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMillis(300),
                java.util.function.UnaryOperator.identity())) {
            f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
            long start = System.nanoTime();
            try (ImapClient c = ImapClient.connect(f.server.port())) {
                assertThat(c.line()).startsWith("* OK ");
                assertThat(c.line()).isEqualTo("* BYE Autologout; idle for too long");
                assertThat(c.line()).isNull();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                Thread.sleep(600); // twice the login timeout: a logged-in client is not cut off
                assertThat(c.command("a", "NOOP")).containsExactly("a OK NOOP completed");
            }
        }
    }
}
