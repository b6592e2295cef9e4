package sluice.smtp.client;

import org.junit.jupiter.api.Test;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.client.SmtpClientException.Stage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A server that stops reading while we write must not hold a delivery: every write has a deadline,
 * under TLS too, and one stalled connection must not stop the deadlines of the others.
 */
class PeerThatStopsReadingTest {

    private static final Duration BLOCK = Duration.ofSeconds(1);
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5),
            Duration.ofSeconds(1), Duration.ofSeconds(5), BLOCK, Duration.ofSeconds(5));
    /** Far more than the socket buffers between us and the peer hold (Linux grows a send buffer to 4 MB). */
    private static final byte[] BIG = content(32 << 20);

    /** Greets, upgrades to TLS when {@code tls}, takes MAIL, RCPT and DATA, then reads nothing more. */
    private static ScriptedPeer stallsAtContent(boolean tls) throws Exception {
        return ScriptedPeer.start(s -> {
            if (tls) s.greet("STARTTLS");
            else s.greet();
            if (tls) {
                s.answer(1, "220 2.0.0 Ready to start TLS\r\n");
                s.startTls();
                s.answer(1, "250 mx.y.test\r\n");
            }
            s.answer(2, "250 2.1.0 Ok\r\n");
            s.answer(1, "354 End data with <CR><LF>.<CR><LF>\r\n");
            s.stopReading();
        });
    }

    private static SmtpConnection connect(ScriptedPeer peer, boolean tls) throws SmtpClientException {
        SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS);
        c.ehlo("client.test");
        if (tls) {
            c.startTls(TlsContexts.anyCertificate(), "mx.y.test");
            c.ehlo("client.test");
        }
        return c;
    }

    private static void sendBig(SmtpConnection c) throws SmtpClientException {
        c.send(new MailFrom("a@x.test", -1, MailFrom.Body.SEVEN_BIT, false, null, null),
                List.of(new RcptTo("b@y.test", Set.of(), null)), BIG);
    }

    @Test
    void tlsPeerThatStopsReadingContentFailsTheDeliveryAfterTheDataBlockTimeout() throws Exception {
        ScriptedPeer peer = stallsAtContent(true);
        SmtpConnection c = null;
        try {
            SmtpConnection tls = c = connect(peer, true);
            assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
                    assertThatThrownBy(() -> sendBig(tls)).isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.DATA);
                        assertThat(e.isTemporary()).isTrue();
                        assertThat(e.reply()).isNull();
                        assertThat(e.getMessage()).endsWith("took no message content for PT1S (it stopped reading)");
                    }));
            assertThat(c.isOpen()).isFalse();
        } finally {
            peer.close(); // first: should the client still be stuck in its write, this frees it
            if (c != null) c.close();
        }
    }

    @Test
    void aStalledTlsConnectionDoesNotStopTheWriteTimeoutsOfOthers() throws Exception {
        try (ScriptedPeer tlsPeer = stallsAtContent(true); ScriptedPeer plainPeer = stallsAtContent(false)) {
            SmtpConnection first = connect(tlsPeer, true);
            SmtpConnection second = connect(plainPeer, false);
            CompletableFuture<Throwable> tls = failureOf(first);
            Thread.sleep(BLOCK.multipliedBy(3)); // the first one's write timeout has fired by now
            CompletableFuture<Throwable> plain = failureOf(second);
            assertThat(plain.get(15, TimeUnit.SECONDS)).hasMessageEndingWith("took no message content for PT1S (it stopped reading)");
            assertThat(tls.get(15, TimeUnit.SECONDS)).hasMessageEndingWith("took no message content for PT1S (it stopped reading)");
        }
    }

    @Test
    void pipelinedCommandsToAPeerThatStopsReadingFailWithinTheCommandTimeout() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.start(s -> {
            s.greet("PIPELINING");
            s.stopReading();
        }); SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS)) {
            c.ehlo("client.test");
            List<RcptTo> many = new ArrayList<>();
            for (int i = 0; i < 300_000; i++) many.add(new RcptTo("r" + i + "@y.test", Set.of(), null)); // 7 MB of RCPT
            assertTimeoutPreemptively(Duration.ofSeconds(15), () ->
                    assertThatThrownBy(() -> c.send(new MailFrom("a@x.test", -1, MailFrom.Body.SEVEN_BIT, false, null, null),
                            many, "x\r\n".getBytes())).isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.MAIL);
                        assertThat(e.isTemporary()).isTrue();
                        assertThat(e.getMessage()).endsWith("took no command for PT1S (it stopped reading)");
                    }));
        }
    }

    private static CompletableFuture<Throwable> failureOf(SmtpConnection c) {
        CompletableFuture<Throwable> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                sendBig(c);
                f.complete(null);
            } catch (Throwable e) {
                f.complete(e);
            } finally {
                c.close();
            }
        });
        return f;
    }

    /** Lines of 998 octets plus CRLF (RFC 5321 section 4.5.3.1.6), {@code size} octets in all. */
    private static byte[] content(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 'a');
        for (int i = 999; i < size; i += 1000) {
            b[i - 1] = '\r';
            b[i] = '\n';
        }
        return b;
    }
}
