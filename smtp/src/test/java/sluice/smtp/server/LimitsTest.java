package sluice.smtp.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Connection limits and RFC 5321 section 4.5.3.2 timeouts. */
class LimitsTest extends ServerFixture {

    @Test
    void connectionsOverThePerAddressLimitAreTurnedAway() throws Exception {
        SmtpServer server = start(b -> b.maxConnectionsPerIp(2));
        RawClient first = client(server);
        client(server);
        RawClient third = track(RawClient.connect(server.port()));
        assertThat(third.reply()).isEqualTo("421 4.7.0 " + HOST + " Too many connections from your address, try again later");
        third.assertClosed();
        RawClient otherAddress = track(RawClient.connect(InetAddress.getByName("127.0.0.2"), server.port()));
        assertThat(otherAddress.reply()).startsWith("220 ");
        first.cmd("QUIT");
        first.assertClosed();
        assertThat(track(RawClient.connect(server.port())).reply()).startsWith("220 ");
    }

    @Test
    void connectionsOverTheTotalLimitAreTurnedAway() throws Exception {
        SmtpServer server = start(b -> b.maxConnections(2));
        client(server);
        track(RawClient.connect(InetAddress.getByName("127.0.0.3"), server.port())).reply();
        RawClient third = track(RawClient.connect(InetAddress.getByName("127.0.0.4"), server.port()));
        assertThat(third.reply()).isEqualTo("421 4.7.0 " + HOST + " Too many connections, try again later");
        third.assertClosed();
        assertThat(server.sessionCount()).isEqualTo(2);
    }

    @Test
    void idleClientIsTimedOut() throws Exception {
        RawClient c = client(start(b -> b.commandTimeout(Duration.ofMillis(200))));
        assertThat(c.reply()).isEqualTo("421 4.4.2 " + HOST + " Timeout exceeded, closing connection");
        c.assertClosed();
    }

    @Test
    void stalledDataIsTimedOutAndNothingIsDelivered() throws Exception {
        RawClient c = ehloClient(start(b -> b.dataTimeout(Duration.ofMillis(200))));
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.cmd("DATA")).startsWith("354 ");
        c.send("Subject: half a message\r\n");
        assertThat(c.reply()).isEqualTo("421 4.4.2 " + HOST + " Timeout exceeded, closing connection");
        c.assertClosed();
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void stalledChunkIsTimedOut() throws Exception {
        RawClient c = ehloClient(start(b -> b.dataTimeout(Duration.ofMillis(200))));
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        c.send("BDAT 100 LAST\r\nonly a little");
        assertThat(c.reply()).isEqualTo("421 4.4.2 " + HOST + " Timeout exceeded, closing connection");
        assertThat(handler.messages).isEmpty();
    }

    @Test
    void clientThatNeverReadsItsRepliesIsDisconnected() throws Exception {
        SmtpServer server = start(b -> b.commandTimeout(Duration.ofSeconds(1)));
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(4096); // before connecting, so the window stays small
            s.connect(server.address());
            s.setSoTimeout(10_000);
            assertThat(readUntil(s, "220 ")).endsWith("\r\n");
            s.getOutputStream().write("EHLO client.test\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(readUntil(s, "250 ")).endsWith("\r\n");
            // HELP: a long reply for a short command, and no handler call to slow the server down. ~20 MB
            // of replies, never read: well over what the server's send and our receive buffers hold.
            byte[] flood = "HELP\r\n".repeat(200_000).getBytes(StandardCharsets.US_ASCII);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(flood);
                } catch (IOException closed) {
                    // the server hung up
                }
            });
            for (int i = 0; i < 500 && handler.connections.isEmpty(); i++) Thread.sleep(10);
            assertThat(handler.connections).hasSize(1);
            for (int i = 0; i < 1000 && server.sessionCount() > 0; i++) Thread.sleep(10);
            assertThat(server.sessionCount()).as("session blocked writing replies nobody reads").isZero();
            writer.join(Duration.ofSeconds(5));
        }
    }

    /** Reads replies up to the end of the first line that starts with {@code start}. */
    private static String readUntil(Socket s, String start) throws IOException {
        StringBuilder text = new StringBuilder();
        int lineStart = 0;
        for (int b; (b = s.getInputStream().read()) >= 0; ) {
            text.append((char) b);
            if (b != '\n') continue;
            if (text.substring(lineStart).startsWith(start)) return text.toString();
            lineStart = text.length();
        }
        throw new AssertionError("connection closed; got " + text);
    }
}
