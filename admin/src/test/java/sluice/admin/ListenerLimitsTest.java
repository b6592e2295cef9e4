package sluice.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.admin.testing.AdminFixture;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that stalls or trickles its request body loses the connection at the deadline. */
class ListenerLimitsTest {

    private final AdminFixture api = new AdminFixture(new AdminServer.Limits(Duration.ofMillis(500)));

    @AfterEach
    void stop() {
        api.close();
    }

    private Socket startPost(int contentLength) throws Exception {
        Socket socket = new Socket("127.0.0.1", api.server().address().getPort());
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("POST /api/v1/organizations HTTP/1.1\r\nHost: admin\r\n"
                + "Authorization: Bearer " + AdminFixture.ADMIN + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + contentLength + "\r\n\r\n{\"name\": ").getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** Reads until the server closes the connection; returns how long that took. */
    private static Duration untilClosed(InputStream in, long start) throws Exception {
        try {
            while (in.read() >= 0) {
                // a response would be a bug; the assertion below shows how long it took either way
            }
        } catch (java.net.SocketException reset) {
            // closed under us: as good as EOF
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aStalledBodyIsCutOffAtTheDeadline() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = startPost(1000)) {
            assertThat(untilClosed(socket.getInputStream(), start)).isLessThan(Duration.ofSeconds(5));
        }
        assertThat(api.directory.organizations()).isEmpty();
        Poll.until(() -> api.metrics.find("sluice.admin.requests").tag("status", "408").timer() != null);
    }

    @Test
    void aTrickledBodyIsCutOffAtTheDeadlineToo() throws Exception {
        long start = System.nanoTime();
        try (Socket socket = startPost(1000)) {
            OutputStream out = socket.getOutputStream();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (Exception closed) {
                    // the server hung up, as it should
                }
            });
            assertThat(untilClosed(socket.getInputStream(), start)).isLessThan(Duration.ofSeconds(4));
            trickle.interrupt();
        }
        assertThat(api.directory.organizations()).isEmpty();
    }

    @Test
    void theJdkListenerLimitsAreSetUnlessGiven() {
        for (var limit : AdminServer.JDK_LISTENER_LIMITS.keySet()) assertThat(System.getProperty(limit)).as(limit).isNotBlank();
    }

    /** Waits (at most 5 s) for a condition that follows an event on another thread. */
    private static final class Poll {
        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > end) throw new AssertionError("condition not met within 5 s");
                Thread.sleep(20);
            }
        }
    }
}
