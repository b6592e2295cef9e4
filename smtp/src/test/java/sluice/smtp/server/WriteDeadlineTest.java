package sluice.smtp.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The write timeout over a real socket with small buffers: it ends a client that stopped reading, and
 * never one that reads steadily but slowly, however long one write (a whole IMAP literal) takes.
 */
class WriteDeadlineTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1_000);

    /** A connected pair with small socket buffers, so the writer waits on the reader at once. */
    private record Pair(Socket writer, Socket reader) implements AutoCloseable {
        static Pair open() throws IOException {
            try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                listener.setReceiveBufferSize(8 * 1024);
                Socket writer = new Socket();
                writer.setSendBufferSize(8 * 1024);
                writer.connect(listener.getLocalSocketAddress());
                return new Pair(writer, listener.accept());
            }
        }

        @Override
        public void close() throws IOException {
            writer.close();
            reader.close();
        }
    }

    @Test
    void aClientReadingSteadilyButSlowlyGetsAWriteThatTakesManyTimeouts() throws Exception {
        byte[] literal = new byte[4 * 1024 * 1024]; // at ~1 MB/s, about four timeouts
        AtomicBoolean expired = new AtomicBoolean();
        AtomicLong read = new AtomicLong();
        try (Pair p = Pair.open()) {
            Thread reader = Thread.ofVirtual().start(() -> {
                byte[] buf = new byte[16 * 1024];
                try (InputStream in = p.reader().getInputStream()) {
                    for (int n; (n = in.read(buf)) > 0; Thread.sleep(10)) read.addAndGet(n);
                } catch (IOException | InterruptedException e) {
                    // the writer closed the socket
                }
            });
            WriteDeadline out = new WriteDeadline(p.writer().getOutputStream(), TIMEOUT, () -> {
                expired.set(true);
                closeQuietly(p.writer());
            });
            long start = System.nanoTime();
            out.write(literal, 0, literal.length);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the write outlasted the timeout").isGreaterThan(TIMEOUT);
            p.writer().shutdownOutput();
            assertThat(reader.join(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(expired).isFalse();
        assertThat(read.get()).isEqualTo(literal.length);
    }

    @Test
    void aClientThatStopsReadingIsCutOffWithinTheTimeout() throws Exception {
        AtomicBoolean expired = new AtomicBoolean();
        try (Pair p = Pair.open()) {
            WriteDeadline out = new WriteDeadline(p.writer().getOutputStream(), TIMEOUT, () -> {
                expired.set(true);
                closeQuietly(p.writer());
            });
            long start = System.nanoTime();
            assertThatThrownBy(() -> out.write(new byte[64 * 1024 * 1024], 0, 64 * 1024 * 1024)).isInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.multipliedBy(10));
        }
        assertThat(expired).isTrue();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
