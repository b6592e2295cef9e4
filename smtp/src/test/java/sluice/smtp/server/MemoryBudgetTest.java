package sluice.smtp.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.smtp.server.RecordingHandler.text;

/**
 * Messages arriving at once share one memory budget, a client at most a quarter of it: past it a
 * message is read to its end, not kept, and deferred with 452 4.3.1, and the session goes on. A
 * transfer, however it is paced, ends within maxTransferTime.
 */
class MemoryBudgetTest extends ServerFixture {

    private static final String INSUFFICIENT = "452 4.3.1 Insufficient system storage, try again later";
    /** 64 KiB for the node, so 16 KiB per client: two buffer sizes (8 and 16 KiB) of a growing message. */
    private final BufferBudget budget = new BufferBudget(64 * 1024);

    @Test
    void aMessageBeyondOneClientsShareIsDeferredAndTheSessionGoesOn() throws Exception {
        RawClient c = ehloClient(start(budget, b -> b));
        assertThat(c.mail("a@example.com", "b@example.com", lines(20_000) + ".\r\n")).isEqualTo(INSUFFICIENT);
        assertThat(handler.messages).isEmpty();
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
        assertThat(c.mail("a@example.com", "b@example.com", lines(10_000) + ".\r\n")).startsWith("250 ");
        assertThat(handler.nextMessage().content()).hasSize(10_000);
        assertThat(budget.used()).isZero();
    }

    @Test
    void whenTheNodeBudgetIsTakenOthersAreDeferredUntilItIsFree() throws Exception {
        SmtpServer server = start(budget, b -> b);
        RawClient[] holders = new RawClient[4];
        for (int i = 0; i < holders.length; i++) {
            holders[i] = from("127.0.0." + (i + 2), server);
            holders[i].mailWithoutWaiting("a@example.com", "b@example.com", lines(10_000)); // 16 KiB each, not ended
        }
        awaitUsed(64 * 1024);
        RawClient late = from("127.0.0.9", server);
        assertThat(late.mail("a@example.com", "b@example.com", "Subject: small\r\n\r\nhi\r\n.\r\n")).isEqualTo(INSUFFICIENT);
        assertThat(holders[0].send(".\r\n").reply()).startsWith("250 ");
        assertThat(handler.nextMessage().content()).hasSize(10_000);
        assertThat(late.mail("a@example.com", "b@example.com", "Subject: small\r\n\r\nhi\r\n.\r\n")).startsWith("250 ");
        assertThat(text(handler.nextMessage())).isEqualTo("Subject: small\r\n\r\nhi\r\n");
        for (int i = 1; i < holders.length; i++) holders[i].close();
        awaitUsed(0);
    }

    @Test
    void chunksBeyondTheShareAreDeferredAndTheirMemoryFreed() throws Exception {
        RawClient c = ehloClient(start(budget, b -> b));
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.send("BDAT 10000\r\n" + "x".repeat(10_000)).reply()).isEqualTo("250 2.0.0 10000 octets received");
        assertThat(c.send("BDAT 10000\r\n" + "x".repeat(10_000)).reply()).isEqualTo(INSUFFICIENT);
        assertThat(c.send("BDAT 1 LAST\r\nx").reply()).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(budget.used()).isZero();
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
    }

    @Test
    void aTrickledMessageIsCutOffAtMaxTransferTime() throws Exception {
        RawClient c = ehloClient(start(budget, b -> b.dataTimeout(Duration.ofSeconds(5)).maxTransferTime(Duration.ofMillis(700))));
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        assertThat(c.cmd("DATA")).startsWith("354 ");
        Thread trickler = Thread.ofVirtual().start(() -> {
            try {
                while (true) { // a byte well within the per-read timeout, for ever
                    c.send("x");
                    Thread.sleep(100);
                }
            } catch (IOException | InterruptedException closed) {
                // the server hung up, as it should
            }
        });
        assertThat(c.reply()).isEqualTo("421 4.4.2 " + HOST + " Timeout exceeded, closing connection");
        c.assertClosed();
        trickler.interrupt();
        assertThat(handler.messages).isEmpty();
        awaitUsed(0);
    }

    @Test
    void chunksTrickledOneByOneAreCutOffAtMaxTransferTime() throws Exception {
        RawClient c = ehloClient(start(budget, b -> b.maxTransferTime(Duration.ofMillis(700))));
        c.cmd("MAIL FROM:<a@example.com>");
        c.cmd("RCPT TO:<b@example.com>");
        String reply;
        int chunks = 0;
        do {
            Thread.sleep(100);
            reply = c.send("BDAT 1\r\nx").reply();
        } while (reply.startsWith("250 ") && ++chunks < 100);
        assertThat(reply).isEqualTo("421 4.4.2 " + HOST + " Timeout exceeded, closing connection");
        assertThat(handler.messages).isEmpty();
    }

    private RawClient from(String address, SmtpServer server) throws IOException {
        RawClient c = track(RawClient.connect(InetAddress.getByName(address), server.port()));
        assertThat(c.reply()).startsWith("220 ");
        assertThat(c.cmd("EHLO client.test")).startsWith("250 ");
        return c;
    }

    /** {@code octets} of 100-octet lines. */
    private static String lines(int octets) {
        return ("y".repeat(98) + "\r\n").repeat(octets / 100);
    }

    private void awaitUsed(long octets) throws InterruptedException {
        for (int i = 0; i < 500 && budget.used() != octets; i++) Thread.sleep(10);
        assertThat(budget.used()).isEqualTo(octets);
    }
}
