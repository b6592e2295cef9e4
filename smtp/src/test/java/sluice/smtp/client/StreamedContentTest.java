package sluice.smtp.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.client.SmtpClientException.Stage;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Content written as it is sent: line ends across writes, SIZE from the content, content that fails half way. */
class StreamedContentTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private SmtpSink sink;

    @BeforeEach
    void start() {
        sink = SmtpSink.start("127.0.0.22");
    }

    @AfterEach
    void stop() {
        sink.close();
    }

    private static MailFrom from() {
        return new MailFrom("a@x.test", -1, MailFrom.Body.SEVEN_BIT, false, null, null);
    }

    /** Content written in the given pieces, one write each. */
    private static Content pieces(String... parts) {
        return new Content() {
            @Override
            public long size() {
                long n = 0;
                for (String p : parts) n += p.length();
                return n;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                for (String p : parts) out.write(p.getBytes(StandardCharsets.US_ASCII));
            }
        };
    }

    /** Content that writes half a message, then fails as {@code failure} does (it throws an unchecked exception or an Error). */
    private static Content halfThen(Runnable failure) {
        return new Content() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write("Subject: x\r\n\r\nhalf\r\n".getBytes(StandardCharsets.US_ASCII));
                failure.run();
            }
        };
    }

    @Test
    void aCrEndingOneWriteAndAnLfStartingTheNextAreOneLineEnd() throws Exception {
        try (SmtpConnection c = SmtpConnection.open(new InetSocketAddress(sink.address(), sink.port()), Timeouts.uniform(WAIT))) {
            c.ehlo("client.test");
            c.send(from(), List.of(new RcptTo("b@y.test", Set.of(), null)), pieces("Subject: x\r", "\n\r", "\n.dot\r", "\r", "\nend"));
        }
        SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.text()).isEqualTo("Subject: x\r\n\r\n.dot\r\n\r\nend\r\n");
        assertThat(m.mailLine()).isEqualTo("MAIL FROM:<a@x.test> SIZE=24");
    }

    @Test
    void contentThatFailsHalfWayEndsTheTransactionWithoutAFinalDot() throws Exception {
        Content broken = halfThen(() -> {
            throw new IllegalStateException("a converter bug reading /var/spool/sluice/q/1f0c");
        });
        try (SmtpConnection c = SmtpConnection.open(new InetSocketAddress(sink.address(), sink.port()), Timeouts.uniform(WAIT))) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.send(from(), List.of(new RcptTo("b@y.test", Set.of(), null)), broken))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.DATA);
                        assertThat(e.isTemporary()).isTrue();
                        // the cause for the operator's log; the message, which reaches traces and notices, names no file
                        assertThat(e.getMessage()).contains("could not be produced").doesNotContain("converter bug", "/var/spool");
                        assertThat(e.getCause()).hasMessageContaining("/var/spool/sluice");
                        assertThat(e.contentFailed()).isTrue();
                    });
            assertThat(c.isOpen()).isFalse();
        }
        // once the server has seen the connection drop in DATA: nothing was taken
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sink.openSessions() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(sink.openSessions()).isZero();
        assertThat(sink.messages()).isEmpty();
    }

    /** An Error is no reason to keep the connection: left open, it would go back to the pool mid-DATA. */
    @Test
    void contentThatFailsWithAnErrorClosesTheConnectionAndThrowsIt() throws Exception {
        Content broken = halfThen(() -> {
            throw new StackOverflowError("simulated");
        });
        try (SmtpConnection c = SmtpConnection.open(new InetSocketAddress(sink.address(), sink.port()), Timeouts.uniform(WAIT))) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.send(from(), List.of(new RcptTo("b@y.test", Set.of(), null)), broken))
                    .isInstanceOf(StackOverflowError.class);
            assertThat(c.isOpen()).isFalse();
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (sink.openSessions() > 0 && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(sink.messages()).isEmpty();
    }
}
