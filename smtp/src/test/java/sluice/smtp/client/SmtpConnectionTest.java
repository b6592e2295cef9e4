package sluice.smtp.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.client.SmtpClientException.Stage;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;
import sluice.smtp.testing.TestCertificates;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpConnectionTest {

    private static final Timeouts FAST = Timeouts.uniform(Duration.ofSeconds(5));
    private static final Duration WAIT = Duration.ofSeconds(5);
    private SmtpSink sink;

    @AfterEach
    void stop() {
        if (sink != null) sink.close();
    }

    private SmtpConnection open() throws SmtpClientException {
        return SmtpConnection.open(new InetSocketAddress(sink.address(), sink.port()), FAST);
    }

    private static MailFrom from(String s) {
        return new MailFrom(s, -1, MailFrom.Body.SEVEN_BIT, false, null, null);
    }

    private static RcptTo to(String s) {
        return new RcptTo(s, Set.of(), null);
    }

    @Test
    void pipelinedTransactionDeliversDotStuffedContentWithCrlf() throws Exception {
        sink = SmtpSink.start("127.0.0.21");
        try (SmtpConnection c = open()) {
            Capabilities caps = c.ehlo("client.test");
            assertThat(caps.pipelining()).isTrue();
            assertThat(caps.maxSize()).isEqualTo(104857600);
            byte[] content = "Subject: x\n\n.leading dot\r\nbare\rcr\r\n..two".getBytes(StandardCharsets.US_ASCII);
            TransactionResult r = c.send(from("a@x.test"), List.of(to("b@y.test"), to("c@y.test")), content);
            assertThat(r.replyFor(0).toString()).isEqualTo("250 2.0.0 Ok: queued as 1");
            assertThat(r.replyFor(1).code()).isEqualTo(250);
        }
        SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.text()).isEqualTo("Subject: x\r\n\r\n.leading dot\r\nbare\r\ncr\r\n..two\r\n");
        assertThat(m.rcptTo()).containsExactly("b@y.test", "c@y.test");
        assertThat(m.helo()).isEqualTo("client.test");
        assertThat(m.mailLine()).isEqualTo("MAIL FROM:<a@x.test> SIZE=" + 40);
    }

    @Test
    void dsnAndBodyParametersAreSentWhenOffered() throws Exception {
        sink = SmtpSink.start("127.0.0.21");
        try (SmtpConnection c = open()) {
            c.ehlo("client.test");
            MailFrom mail = new MailFrom("a@x.test", 1000, MailFrom.Body.EIGHT_BIT_MIME, true, MailFrom.Ret.HDRS, "id+1 x");
            RcptTo rcpt = new RcptTo("b@y.test", Set.of(RcptTo.Notify.FAILURE, RcptTo.Notify.DELAY), "rfc822;b=1@y.test");
            c.send(mail, List.of(rcpt), "x".getBytes(StandardCharsets.US_ASCII));
        }
        SinkMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.mailLine()).isEqualTo("MAIL FROM:<a@x.test> SIZE=1000 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=id+2B1+20x");
        assertThat(m.rcptLines()).containsExactly("RCPT TO:<b@y.test> NOTIFY=DELAY,FAILURE ORCPT=rfc822;b+3D1@y.test");
    }

    @Test
    void withoutPipeliningEachRecipientGetsItsOwnReply() throws Exception {
        sink = SmtpSink.on("127.0.0.21").without("PIPELINING").start();
        sink.replyToRcpt("bad@y.test", Reply.of(550, "5.1.1", "No such user"));
        sink.replyToRcpt("later@y.test", Reply.of(451, "4.3.0", "Try later"));
        try (SmtpConnection c = open()) {
            c.ehlo("client.test");
            TransactionResult r = c.send(from("a@x.test"), List.of(to("bad@y.test"), to("ok@y.test"), to("later@y.test")),
                    "hi\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.replyFor(0).toString()).isEqualTo("550 5.1.1 No such user");
            assertThat(r.replyFor(1).code()).isEqualTo(250);
            assertThat(r.replyFor(2).toString()).isEqualTo("451 4.3.0 Try later");
        }
        assertThat(sink.awaitMessages(1, WAIT).getFirst().rcptTo()).containsExactly("ok@y.test");
    }

    @Test
    void noAcceptedRecipientSkipsDataAndConnectionIsReusableAfterRset() throws Exception {
        sink = SmtpSink.start("127.0.0.21");
        sink.replyToRcpt("bad@y.test", Reply.of(550, "5.1.1", "No such user"));
        try (SmtpConnection c = open()) {
            c.ehlo("client.test");
            TransactionResult r = c.send(from("a@x.test"), List.of(to("bad@y.test")), "x".getBytes(StandardCharsets.US_ASCII));
            assertThat(r.anyAccepted()).isFalse();
            assertThat(r.data().toString()).isEqualTo("554 5.5.1 No valid recipients"); // pipelined: DATA was sent
            c.reset();
            TransactionResult r2 = c.send(from("a@x.test"), List.of(to("ok@y.test")), "x".getBytes(StandardCharsets.US_ASCII));
            assertThat(r2.replyFor(0).code()).isEqualTo(250);
        }
        assertThat(sink.awaitMessages(1, WAIT)).hasSize(1);
        assertThat(sink.connections()).isEqualTo(1);
    }

    @Test
    void ehloRefusedFallsBackToHeloWithoutExtensions() throws Exception {
        sink = SmtpSink.start("127.0.0.21");
        sink.replyToEhlo(Reply.of(502, "5.5.2", "What?"));
        try (SmtpConnection c = open()) {
            assertThat(c.ehlo("client.test")).isEqualTo(Capabilities.NONE);
            c.send(new MailFrom("a@x.test", 10, MailFrom.Body.EIGHT_BIT_MIME, false, MailFrom.Ret.FULL, null),
                    List.of(to("b@y.test")), "x".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(sink.awaitMessages(1, WAIT).getFirst().mailLine()).isEqualTo("MAIL FROM:<a@x.test>");
    }

    @Test
    void startTlsWithValidatedChainAndName() throws Exception {
        TestCertificates ca = TestCertificates.newCa("Test CA");
        sink = SmtpSink.on("127.0.0.21").tls(ca.issue("mx.y.test", "mx.y.test")).start();
        try (SmtpConnection c = open()) {
            assertThat(c.ehlo("client.test").startTls()).isTrue();
            var trust = TlsContexts.trustManager(trustStore(ca));
            var info = c.startTls(TlsContexts.validating(trust), "mx.y.test");
            assertThat(info.protocol()).startsWith("TLS");
            assertThat(ServiceIdentity.matches(c.peerCertificates().getFirst(), "mx.y.test")).isTrue();
            assertThat(c.ehlo("client.test").startTls()).isFalse();
            c.send(from("a@x.test"), List.of(to("b@y.test")), "x".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(sink.awaitMessages(1, WAIT).getFirst().tlsUsed()).isTrue();
    }

    @Test
    void selfSignedCertificateFailsValidationAtStarttls() throws Exception {
        sink = SmtpSink.on("127.0.0.21").tls(TestCertificates.selfSigned("mx.y.test", "mx.y.test")).start();
        try (SmtpConnection c = open()) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.startTls(TlsContexts.validating(TlsContexts.jdkTrust()), "mx.y.test"))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.STARTTLS);
                        assertThat(e.isTemporary()).isTrue();
                        assertThat(e.getMessage()).startsWith("starttls: TLS handshake with");
                    });
            assertThat(c.isOpen()).isFalse();
        }
    }

    @Test
    void negativeGreetingIsAPermanentFailureWithTheReply() {
        sink = SmtpSink.start("127.0.0.21");
        sink.greeting(Reply.of(554, "5.7.1", "Go away"));
        assertThatThrownBy(this::open).isInstanceOfSatisfying(SmtpClientException.class, e -> {
            assertThat(e.stage()).isEqualTo(Stage.GREETING);
            assertThat(e.isTemporary()).isFalse();
            assertThat(e.reply().toString()).isEqualTo("554 5.7.1 Go away");
        });
    }

    @Test
    void droppedConnectionAtRcptIsATemporaryRcptFailure() throws Exception {
        sink = SmtpSink.on("127.0.0.21").without("PIPELINING").start();
        sink.dropAt(SmtpSink.Phase.RCPT);
        try (SmtpConnection c = open()) {
            c.ehlo("client.test");
            assertThatThrownBy(() -> c.send(from("a@x.test"), List.of(to("b@y.test")), new byte[0]))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.RCPT);
                        assertThat(e.isTemporary()).isTrue();
                        assertThat(e.reply()).isNull();
                    });
        }
    }

    @Test
    void silentServerTimesOutAtGreeting() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.21"))) {
            Thread.ofVirtual().start(() -> { try (Socket s = silent.accept()) { s.getInputStream().read(); } catch (Exception ignored) { } });
            Timeouts t = new Timeouts(Duration.ofSeconds(2), Duration.ofMillis(200), Duration.ofSeconds(2),
                    Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(2));
            assertThatThrownBy(() -> SmtpConnection.open(new InetSocketAddress("127.0.0.21", silent.getLocalPort()), t))
                    .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                        assertThat(e.stage()).isEqualTo(Stage.GREETING);
                        assertThat(e.getMessage()).contains("no reply from").contains("within PT0.2S");
                    });
        }
    }

    @Test
    void refusedConnectionIsATemporaryConnectFailure() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.21"))) { port = s.getLocalPort(); }
        assertThatThrownBy(() -> SmtpConnection.open(new InetSocketAddress("127.0.0.21", port), FAST))
                .isInstanceOfSatisfying(SmtpClientException.class, e -> {
                    assertThat(e.stage()).isEqualTo(Stage.CONNECT);
                    assertThat(e.isTemporary()).isTrue();
                    assertThat(e.getMessage()).startsWith("connect: cannot connect to");
                });
    }

    static java.security.KeyStore trustStore(TestCertificates ca) throws Exception {
        var ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca.caCertificate());
        return ks;
    }
}
