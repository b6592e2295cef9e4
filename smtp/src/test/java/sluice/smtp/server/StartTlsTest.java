package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import sluice.smtp.TlsInfo;
import sluice.smtp.Transaction;
import sluice.smtp.testing.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** STARTTLS (RFC 3207), client certificates, implicit TLS and requireTls. */
class StartTlsTest extends ServerFixture {

    private SmtpServer tlsServer() throws IOException {
        return start(b -> b.sslContext(TlsMaterial.SERVER_CONTEXT));
    }

    private RawClient tlsClient(SmtpServer server, SSLContext clientContext) throws IOException {
        RawClient c = ehloClient(server);
        assertThat(c.cmd("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
        c.startTls(clientContext);
        return c;
    }

    @Test
    void startTlsIsAdvertisedOnlyBeforeTls() throws Exception {
        RawClient c = client(tlsServer());
        assertThat(c.replyLinesOf("EHLO client.example")).contains("250 STARTTLS").doesNotContain("250-AUTH PLAIN LOGIN");
        assertThat(c.cmd("STARTTLS")).isEqualTo("220 2.0.0 Ready to start TLS");
        c.startTls(TlsMaterial.anonymousClient());
        List<String> afterTls = c.replyLinesOf("EHLO client.example");
        assertThat(afterTls).isNotEmpty().noneMatch(l -> l.contains("STARTTLS"));
        assertThat(afterTls.getLast()).isEqualTo("250 CHUNKING");
        assertThat(c.cmd("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
    }

    @Test
    void sessionStartsOverAfterTheHandshakeAndTheHandlerSeesTls() throws Exception {
        RawClient c = tlsClient(tlsServer(), TlsMaterial.anonymousClient());
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
        c.replyLinesOf("EHLO client.example");
        assertThat(c.mail("a@example.com", "b@example.com", "x\r\n.\r\n")).startsWith("250 ");
        Transaction t = handler.nextMessage();
        assertThat(t.tls().protocol()).isEqualTo("TLSv1.3");
        assertThat(t.tls().cipherSuite()).startsWith("TLS_");
        assertThat(t.tls().peerCertificates()).isEmpty();
        assertThat(handler.events).containsSubsequence("tls", "reset");
    }

    @Test
    void tls12IsAccepted() throws Exception {
        RawClient c = ehloClient(tlsServer());
        c.cmd("STARTTLS");
        SSLSocket ssl = c.startTls(TlsMaterial.anonymousClient(), "TLSv1.2");
        assertThat(ssl.getSession().getProtocol()).isEqualTo("TLSv1.2");
        c.replyLinesOf("EHLO client.example");
        assertThat(handler.tls.getFirst().protocol()).isEqualTo("TLSv1.2");
    }

    /** CVE-2011-0411: commands pipelined after STARTTLS in plaintext must not run inside TLS. */
    @Test
    void plaintextInjectedAfterStartTlsIsDiscarded() throws Exception {
        RawClient c = ehloClient(tlsServer());
        c.send("STARTTLS\r\nMAIL FROM:<injected@evil.example>\r\nRCPT TO:<b@example.com>\r\n");
        assertThat(c.reply()).isEqualTo("220 2.0.0 Ready to start TLS");
        c.startTls(TlsMaterial.anonymousClient());
        assertThat(c.replyLinesOf("EHLO client.example").getFirst()).isEqualTo("250-" + HOST);
        assertThat(c.cmd("MAIL FROM:<real@example.com>")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(handler.mails).extracting(m -> m.reversePath()).containsExactly("real@example.com");
        assertThat(handler.recipients).isEmpty();
    }

    @Test
    void clientCertificateFromAnyIssuerReachesTheHandler() throws Exception {
        SmtpServer server = tlsServer();
        TestCertificates.Identity partner = TestCertificates.newCa("Partner CA").issue("relay.partner.example", "relay.partner.example");
        RawClient c = tlsClient(server, partner.sslContext(TlsMaterial.CA.caCertificate()));
        c.replyLinesOf("EHLO relay.partner.example");
        TlsInfo info = handler.tls.getFirst();
        assertThat(info.peerCertificates()).hasSize(2);
        assertThat(info.peerCertificates().getFirst().getSubjectX500Principal().getName()).isEqualTo("CN=relay.partner.example");

        TestCertificates.Identity selfSigned = TestCertificates.selfSigned("printer.local");
        RawClient printer = tlsClient(server, selfSigned.sslContext(TlsMaterial.CA.caCertificate()));
        printer.replyLinesOf("EHLO printer.local");
        assertThat(handler.tls.get(1).peerCertificates()).containsExactly(selfSigned.certificate());
    }

    @Test
    void startTlsArgumentsAndSequence() throws Exception {
        SmtpServer server = tlsServer();
        RawClient c = client(server);
        assertThat(c.cmd("STARTTLS")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
        c.replyLinesOf("EHLO client.example");
        assertThat(c.cmd("STARTTLS now")).isEqualTo("501 5.5.4 Syntax: STARTTLS");
    }

    @Test
    void failedHandshakeEndsOnlyThatSession() throws Exception {
        SmtpServer server = tlsServer();
        RawClient c = ehloClient(server);
        c.cmd("STARTTLS");
        c.send("this is not a TLS client hello\r\n");
        c.assertClosedAfterAtMost(64); // the server may send a TLS alert first
        RawClient next = tlsClient(server, TlsMaterial.anonymousClient());
        assertThat(next.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
    }

    @Test
    void requireTlsRefusesMailBeforeStartTls() throws Exception {
        SmtpServer server = start(b -> b.sslContext(TlsMaterial.SERVER_CONTEXT).requireTls(true));
        RawClient c = ehloClient(server);
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
        c.cmd("STARTTLS");
        c.startTls(TlsMaterial.anonymousClient());
        c.replyLinesOf("EHLO client.example");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("250 2.1.0 Sender OK");
    }

    @Test
    void requireTlsWithoutCertificateIsAConfigurationError() {
        assertThatThrownBy(() -> defaults().requireTls(true).build()).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void implicitTlsHandshakesBeforeTheGreeting() throws Exception {
        SmtpServer server = start(b -> b.sslContext(TlsMaterial.SERVER_CONTEXT).implicitTls(true));
        SSLSocket ssl = (SSLSocket) TlsMaterial.anonymousClient().getSocketFactory()
                .createSocket(java.net.InetAddress.getLoopbackAddress(), server.port());
        ssl.setSoTimeout(10_000);
        try (ssl) {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(ssl.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("220 " + HOST + " ESMTP Sluice");
            ssl.getOutputStream().write("EHLO client.example\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String line;
            StringBuilder ehlo = new StringBuilder();
            while ((line = in.readLine()) != null && line.startsWith("250-")) ehlo.append(line).append('\n');
            assertThat(ehlo.toString()).doesNotContain("STARTTLS");
            assertThat(line).isEqualTo("250 CHUNKING");
        }
        assertThat(handler.connections.getFirst().implicitTls()).isTrue();
        assertThat(handler.tls).hasSize(1);
    }
}
