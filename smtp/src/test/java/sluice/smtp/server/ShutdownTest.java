package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import sluice.smtp.Reply;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Graceful shutdown: stop accepting, close idle sessions, let a transaction in progress finish. */
class ShutdownTest extends ServerFixture {

    private final CountDownLatch inData = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private void blockInData() {
        handler.onData = t -> {
            inData.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.of(250, "2.0.0", "Queued after shutdown began");
        };
    }

    @Test
    void inFlightMessageIsFinishedAndIdleSessionsAreClosed() throws Exception {
        blockInData();
        SmtpServer server = start();
        RawClient idle = client(server);
        RawClient busy = ehloClient(server);
        busy.cmd("MAIL FROM:<a@example.com>");
        busy.cmd("RCPT TO:<b@example.com>");
        busy.cmd("DATA");
        busy.send("Subject: in flight\r\n\r\nbody\r\n.\r\n");
        assertThat(inData.await(5, TimeUnit.SECONDS)).isTrue();

        Thread shutdown = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofSeconds(10)));
        assertThat(idle.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down, closing connection");
        idle.assertClosed();
        assertThatThrownBy(() -> RawClient.connect(server.port())).isInstanceOf(ConnectException.class);

        release.countDown();
        assertThat(busy.reply()).isEqualTo("250 2.0.0 Queued after shutdown began");
        assertThat(busy.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down, closing connection");
        busy.assertClosed();
        assertThat(shutdown.join(Duration.ofSeconds(5))).isTrue();
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void sessionsStillBusyWhenTheGraceEndsAreCut() throws Exception {
        blockInData();
        SmtpServer server = start();
        RawClient busy = ehloClient(server);
        busy.mailWithoutWaiting("a@example.com", "b@example.com", "x\r\n.\r\n");
        assertThat(inData.await(5, TimeUnit.SECONDS)).isTrue();
        Thread shutdown = Thread.ofVirtual().start(() -> server.shutdown(Duration.ofMillis(100)));
        try {
            busy.assertClosed();
        } finally {
            release.countDown();
        }
        assertThat(shutdown.join(Duration.ofSeconds(5))).isTrue();
        assertThat(handler.messages).hasSize(1); // the handler ran, but the client never got a 250
    }

    @Test
    void closingWithoutGraceStillTellsIdleSessionsWhy() throws Exception {
        SmtpServer server = start();
        RawClient idle = ehloClient(server);
        server.close();
        assertThat(idle.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down, closing connection");
        idle.assertClosed();
    }
}
