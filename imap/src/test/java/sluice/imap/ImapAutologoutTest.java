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
}
