package sluice.smtp.client;

import org.junit.jupiter.api.Test;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.client.SmtpClientException.Stage;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * RFC 5321 section 4.5.3.2 times each step (a reply, the handshake), not the gap between bytes: a server
 * that sends one byte now and then, each well within the timeout, still fails the step when it runs out.
 */
class TricklingPeerTest {

    private static final Duration GAP = Duration.ofMillis(200);
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(5));

    @Test
    void greetingTrickledByteByByteTimesOutAsAWhole() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.start(s -> s.trickle("220 " + "x".repeat(100) + "\r\n", GAP))) {
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> SmtpConnection.open(peer.address(), TIMEOUTS))
                            .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                                assertThat(e.stage()).isEqualTo(Stage.GREETING);
                                assertThat(e.isTemporary()).isTrue();
                                assertThat(e.getMessage()).isEqualTo("greeting: no reply from " + peer.address() + " within PT1S");
                            }));
        }
    }

    @Test
    void replyToMailTrickledByteByByteTimesOutAsAWhole() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.start(s -> {
            s.greet();
            s.line();
            s.trickle("250 2.1.0 " + "x".repeat(100) + "\r\n", GAP);
        }); SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS)) {
            c.ehlo("client.test");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> c.send(new MailFrom("a@x.test", -1, MailFrom.Body.SEVEN_BIT, false, null, null),
                            List.of(new RcptTo("b@y.test", Set.of(), null)), "x\r\n".getBytes())).isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.MAIL);
                        assertThat(e.getMessage()).isEqualTo("mail: no reply from " + peer.address() + " within PT1S");
                    }));
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void tlsHandshakeTrickledByteByByteTimesOutAsAWhole() throws Exception {
        // a TLS record header announcing a 16 KB handshake record, then its body one byte at a time
        String record = "\u0016\u0003\u0003\u0040\u0000" + "\u0002".repeat(100);
        try (ScriptedPeer peer = ScriptedPeer.start(s -> {
            s.greet("STARTTLS");
            s.answer(1, "220 2.0.0 Ready to start TLS\r\n");
            s.trickle(record, GAP);
        }); SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS)) {
            c.ehlo("client.test");
            assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                    assertThatThrownBy(() -> c.startTls(TlsContexts.anyCertificate(), "mx.y.test"))
                            .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                                assertThat(e.stage()).isEqualTo(Stage.STARTTLS);
                                assertThat(e.isTemporary()).isTrue();
                                assertThat(e.reply()).isNull();
                                assertThat(e.getMessage()).isEqualTo("starttls: TLS handshake with " + peer.address()
                                        + " did not complete within PT1S");
                            }));
            assertThat(c.isOpen()).isFalse();
        }
    }
}
