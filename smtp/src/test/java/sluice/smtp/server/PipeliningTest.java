package sluice.smtp.server;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 2920 pipelining where it is allowed, and the clients that do not wait where they must. */
class PipeliningTest extends ServerFixture {

    @Test
    void envelopeCommandsMayBeGroupedUpToData() throws Exception {
        RawClient c = ehloClient(start());
        c.send("RSET\r\nMAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n");
        assertThat(c.reply()).isEqualTo("250 2.0.0 OK");
        assertThat(c.reply()).startsWith("250 2.1.0");
        assertThat(c.reply()).startsWith("250 2.1.5");
        assertThat(c.reply()).startsWith("250 2.1.5");
        assertThat(c.reply()).startsWith("354 ");
        assertThat(c.send("hi\r\n.\r\n").reply()).startsWith("250 ");
        assertThat(handler.nextMessage().recipients()).hasSize(2);
    }

    @Test
    void contentSentWithDataBeforeThe354IsRefused() throws Exception {
        RawClient c = ehloClient(start());
        handler.onRcpt = r -> sluice.smtp.Reply.of(550, "5.1.1", "No such user");
        c.send("MAIL FROM:<a@example.com>\r\nRCPT TO:<b@example.com>\r\nDATA\r\nMAIL FROM:<evil@example.com>\r\n.\r\n");
        assertThat(c.reply()).startsWith("250 2.1.0");
        assertThat(c.reply()).isEqualTo("550 5.1.1 No such user");
        assertThat(c.reply()).isEqualTo("554 5.5.0 " + HOST + " Protocol error: commands sent after DATA before its reply");
        c.assertClosed();
        assertThat(handler.mails).hasSize(1);
    }

    @Test
    void commandsAfterEhloInTheSameGroupAreRefused() throws Exception {
        RawClient c = client(start());
        c.send("EHLO client.example\r\nMAIL FROM:<a@example.com>\r\n");
        assertThat(c.reply()).isEqualTo("554 5.5.0 " + HOST + " Protocol error: commands sent after EHLO before its reply");
        c.assertClosed();
        assertThat(handler.mails).isEmpty();
    }

    @Test
    void commandsAfterNoopInTheSameGroupAreRefused() throws Exception {
        RawClient c = ehloClient(start());
        c.send("NOOP\r\nRSET\r\n");
        assertThat(c.reply()).isEqualTo("554 5.5.0 " + HOST + " Protocol error: commands sent after NOOP before its reply");
        c.assertClosed();
    }

    @Test
    void earlyTalkerIsRefusedBeforeTheGreeting() throws Exception {
        CountDownLatch sent = new CountDownLatch(1);
        handler.onConnect = () -> {
            await(sent);
            return null;
        };
        RawClient c = track(RawClient.connect(start().port()));
        c.send("EHLO spam.example\r\n");
        sent.countDown();
        assertThat(c.reply()).isEqualTo("554 5.5.0 " + HOST + " Protocol error: data sent before the greeting");
        c.assertClosed();
    }

    @Test
    void greetingDelayCatchesTalkersThatArriveLate() throws Exception {
        RawClient c = track(RawClient.connect(start(b -> b.greetingDelay(Duration.ofSeconds(20))).port()));
        c.send("EHLO spam.example\r\n");
        assertThat(c.reply()).isEqualTo("554 5.5.0 " + HOST + " Protocol error: data sent before the greeting");
        c.assertClosed();
    }

    @Test
    void whateverFollowsQuitIsIgnored() throws Exception {
        RawClient c = ehloClient(start());
        c.send("QUIT\r\nMAIL FROM:<a@example.com>\r\n");
        assertThat(c.reply()).isEqualTo("221 " + HOST + " Service closing transmission channel");
        c.assertClosed();
        assertThat(handler.mails).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) throw new IllegalStateException("latch timed out");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
