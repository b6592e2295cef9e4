package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import sluice.smtp.ConnectionInfo;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A shutdown that comes while a session is still writing its last reply (to a client slow to read it)
 * does not pass that session by: once the reply is out and the session waits for a command, it is idle,
 * and it hears {@code 421} before it is closed. The session is driven directly so the test can hold its
 * reply in the socket at exactly that moment.
 */
class ShutdownWhileFlushingTest extends ServerFixture {

    @Test
    void aSessionFlushingItsLastReplyWhenShutdownBeginsIsToldBeforeItIsClosed() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             RawClient client = RawClient.connect(listener.getLocalPort());
             GatedSocket accepted = new GatedSocket(listener.accept())) {
            AtomicBoolean shuttingDown = new AtomicBoolean();
            Session session = new Session(defaults().build(), new ConnectionInfo("T1",
                    (InetSocketAddress) accepted.inner.getRemoteSocketAddress(),
                    (InetSocketAddress) accepted.inner.getLocalSocketAddress(), Instant.now(), false),
                    accepted, handler, BufferBudget.quarterOfHeap(), shuttingDown::get, () -> { });
            Thread thread = Thread.ofVirtual().start(session);
            assertThat(client.reply()).startsWith("220 ");

            accepted.holdNextWrite();
            client.send("NOOP\r\n");
            assertThat(accepted.holding.await(5, TimeUnit.SECONDS)).isTrue(); // the 250 is on its way out, not yet sent
            shuttingDown.set(true);
            Thread server = Thread.ofVirtual().start(session::shutdownIfIdle);
            assertThat(server.join(Duration.ofSeconds(5))).as("the server does not wait on one session's writes").isTrue();
            accepted.release.countDown();

            assertThat(client.reply()).isEqualTo("250 2.0.0 OK");
            assertThat(client.reply()).isEqualTo("421 4.3.2 " + HOST + " Service shutting down, closing connection");
            client.assertClosed();
            assertThat(thread.join(Duration.ofSeconds(5))).isTrue();
        }
    }

    /** The server's end of a real connection, whose next write can be held at a gate, as a full socket buffer would. */
    private static final class GatedSocket extends Socket {
        final Socket inner;
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private volatile boolean hold;

        GatedSocket(Socket inner) {
            this.inner = inner;
        }

        void holdNextWrite() {
            hold = true;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return inner.getInputStream();
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return new FilterOutputStream(inner.getOutputStream()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (hold) {
                        hold = false;
                        holding.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new InterruptedIOException();
                        }
                    }
                    out.write(b, off, len);
                }
            };
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            inner.setSoTimeout(timeout);
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            inner.close();
        }
    }
}
