package sluice.smtp.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** After QUIT over TLS the client ends the TLS session with close_notify, not by cutting the TCP connection. */
class TlsCloseAfterQuitTest {

    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    @Test
    void quitOverTlsEndsWithCloseNotify() throws Exception {
        CompletableFuture<Integer> end = new CompletableFuture<>();
        try (ScriptedPeer peer = ScriptedPeer.start(s -> {
            s.greet("STARTTLS");
            s.answer(1, "220 2.0.0 Ready to start TLS\r\n");
            s.startTls();
            s.answer(1, "250 mx.y.test\r\n");
            s.answer(1, "221 2.0.0 Bye\r\n");
            end.complete(s.octetsBeforeTcpEnd());
        })) {
            SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS);
            c.ehlo("client.test");
            c.startTls(TlsContexts.anyCertificate(), "mx.y.test");
            c.ehlo("client.test");
            // the peer never answers with its own close_notify: quit does not wait for one (that would take 30 s)
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> c.quit(Duration.ofSeconds(30)));
            assertThat(c.isOpen()).isFalse();
            assertThat(end.get(10, TimeUnit.SECONDS)).as("a close_notify record").isPositive();
        }
    }
}
