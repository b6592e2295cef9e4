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

/**
 * RFC 5321 section 4.3.2: DATA gets 354 or a refusal, the final dot 2xx or a refusal. A server that
 * answers DATA with 250 never received the content, and a 3xx after the dot accepted nothing: neither
 * may count as delivered. Both are temporary failures, and the connection is not used again.
 */
class DataRepliesOutOfSequenceTest {

    private static final Timeouts TIMEOUTS = Timeouts.uniform(Duration.ofSeconds(5));

    private static void send(SmtpConnection c) throws SmtpClientException {
        c.ehlo("client.test");
        c.send(new MailFrom("a@x.test", -1, MailFrom.Body.SEVEN_BIT, false, null, null),
                List.of(new RcptTo("b@y.test", Set.of(), null)), "Subject: x\r\n\r\nhi\r\n".getBytes());
    }

    /** Greets, accepts MAIL and RCPT, and answers DATA with {@code dataReply}. */
    private static void upToData(ScriptedPeer.Session s, String dataReply) throws Exception {
        s.greet();
        s.answer(2, "250 2.1.0 Ok\r\n");
        s.answer(1, dataReply);
    }

    @Test
    void dataAnsweredWith250IsATemporaryFailureNotADelivery() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.start(s -> {
            upToData(s, "250 2.0.0 Ok\r\n");
            s.line();
        }); SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS)) {
            assertThatThrownBy(() -> send(c)).isInstanceOfSatisfying(SmtpClientException.class, e -> {
                assertThat(e.stage()).isEqualTo(Stage.DATA);
                assertThat(e.isTemporary()).isTrue();
                assertThat(e.reply().toString()).isEqualTo("250 2.0.0 Ok");
                assertThat(e.getMessage()).isEqualTo("data: protocol error from " + peer.address()
                        + ": DATA answered with 250 2.0.0 Ok instead of 354");
            });
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void endOfDataAnsweredWith3xxIsATemporaryFailureNotADelivery() throws Exception {
        try (ScriptedPeer peer = ScriptedPeer.start(s -> {
            upToData(s, "354 Go ahead\r\n");
            while (!s.line().equals(".")) { /* the content */ }
            s.send("354 Go ahead\r\n");
            s.line();
        }); SmtpConnection c = SmtpConnection.open(peer.address(), TIMEOUTS)) {
            assertThatThrownBy(() -> send(c)).isInstanceOfSatisfying(SmtpClientException.class, e -> {
                assertThat(e.stage()).isEqualTo(Stage.DATA);
                assertThat(e.isTemporary()).isTrue();
                assertThat(e.reply().code()).isEqualTo(354);
                assertThat(e.getMessage()).isEqualTo("data: protocol error from " + peer.address()
                        + ": the end of the message answered with 354 Go ahead");
            });
            assertThat(c.isOpen()).isFalse();
        }
    }
}
