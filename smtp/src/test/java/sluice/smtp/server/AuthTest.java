package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import sluice.smtp.MailFrom;
import sluice.smtp.RcptTo;
import sluice.smtp.Reply;
import sluice.smtp.SessionHandler;
import sluice.smtp.Transaction;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/** AUTH PLAIN and LOGIN (RFC 4954) for the submission listener. */
class AuthTest extends ServerFixture {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private SmtpServer authServer(UnaryOperator<SmtpServerConfig.Builder> more) throws IOException {
        return start(b -> more.apply(b.sslContext(TlsMaterial.SERVER_CONTEXT).authEnabled(true)));
    }

    private RawClient afterTls(SmtpServer server) throws IOException {
        RawClient c = ehloClient(server);
        c.cmd("STARTTLS");
        c.startTls(TlsMaterial.anonymousClient());
        assertThat(c.replyLinesOf("EHLO client.example")).endsWith("250 AUTH PLAIN LOGIN");
        return c;
    }

    @Test
    void authIsNeitherAdvertisedNorAcceptedBeforeTls() throws Exception {
        RawClient c = client(authServer(b -> b));
        assertThat(c.replyLinesOf("EHLO client.example")).noneMatch(l -> l.contains("AUTH"));
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret")))
                .isEqualTo("538 5.7.11 Encryption required for requested authentication mechanism");
        assertThat(handler.auths).isEmpty();
    }

    @Test
    void plainWithInitialResponseAuthenticatesTheTransaction() throws Exception {
        RawClient c = afterTls(authServer(b -> b));
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).isEqualTo("503 5.5.1 Already authenticated");
        assertThat(c.mail("alice@example.com", "b@example.com", "x\r\n.\r\n")).startsWith("250 ");
        Transaction t = handler.nextMessage();
        assertThat(t.authenticatedAs()).isEqualTo("alice");
        assertThat(handler.auths).containsExactly("PLAIN::alice");
    }

    @Test
    void plainWithChallengeAndAuthorizationIdentity() throws Exception {
        RawClient c = afterTls(authServer(b -> b));
        assertThat(c.cmd("AUTH PLAIN")).isEqualTo("334 ");
        assertThat(c.cmd(b64("admin\0alice\0secret"))).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(handler.auths).containsExactly("PLAIN:admin:alice");
        assertThat(c.mail("alice@example.com", "b@example.com", "x\r\n.\r\n")).startsWith("250 ");
        assertThat(handler.nextMessage().authenticatedAs()).as("the authzid is never the identity").isEqualTo("alice");
    }

    @Test
    void loginWithAndWithoutInitialResponse() throws Exception {
        SmtpServer server = authServer(b -> b);
        RawClient c = afterTls(server);
        assertThat(c.cmd("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(c.cmd(b64("alice"))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(c.cmd(b64("secret"))).isEqualTo("235 2.7.0 Authentication successful");
        RawClient d = afterTls(server);
        assertThat(d.cmd("AUTH LOGIN " + b64("alice"))).isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(d.cmd(b64("secret"))).isEqualTo("235 2.7.0 Authentication successful");
        assertThat(handler.auths).containsExactly("LOGIN::alice", "LOGIN::alice");
    }

    @Test
    void wrongPasswordIsRefusedAndMayBeRetried() throws Exception {
        RawClient c = afterTls(authServer(b -> b));
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0wrong"))).isEqualTo("535 5.7.8 Authentication credentials invalid");
        assertThat(c.mail("alice@example.com", "b@example.com", "x\r\n.\r\n")).startsWith("250 ");
        assertThat(handler.nextMessage().authenticatedAs()).isNull();
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).isEqualTo("235 2.7.0 Authentication successful");
    }

    @Test
    void passwordGuessingUsesUpTheErrorBudget() throws Exception {
        RawClient c = afterTls(authServer(b -> b.maxErrors(2)));
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0a"))).startsWith("535 ");
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0b"))).startsWith("535 ");
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0c"))).isEqualTo("421 4.7.0 " + HOST + " Too many errors, closing connection");
        c.assertClosed();
    }

    @Test
    void malformedExchanges() throws Exception {
        RawClient c = afterTls(authServer(b -> b.maxErrors(50)));
        assertThat(c.cmd("AUTH PLAIN !!!notbase64")).isEqualTo("501 5.5.2 Cannot decode response");
        assertThat(c.cmd("AUTH PLAIN =")).isEqualTo("501 5.5.2 Cannot decode response");
        assertThat(c.cmd("AUTH PLAIN " + b64("alice:secret"))).isEqualTo("501 5.5.2 Cannot decode response");
        assertThat(c.cmd("AUTH PLAIN")).isEqualTo("334 ");
        assertThat(c.cmd("*")).isEqualTo("501 5.0.0 Authentication cancelled");
        assertThat(c.cmd("AUTH LOGIN")).startsWith("334 ");
        assertThat(c.cmd("*")).isEqualTo("501 5.0.0 Authentication cancelled");
        assertThat(c.cmd("AUTH PLAIN")).isEqualTo("334 ");
        assertThat(c.cmd("A".repeat(13_000))).isEqualTo("500 5.5.6 Authentication Exchange line is too long");
        assertThat(c.cmd("AUTH CRAM-MD5")).isEqualTo("504 5.5.4 Unrecognized authentication type");
        assertThat(c.cmd("AUTH")).isEqualTo("501 5.5.4 Syntax: AUTH mechanism [initial-response]");
        assertThat(handler.auths).isEmpty();
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).startsWith("235 ");
    }

    @Test
    void authIsRefusedInsideATransaction() throws Exception {
        RawClient c = afterTls(authServer(b -> b));
        c.cmd("MAIL FROM:<a@example.com> AUTH=<>");
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).isEqualTo("503 5.5.1 AUTH not permitted during a mail transaction");
    }

    @Test
    void startTlsForgetsAPlaintextAuthentication() throws Exception {
        RawClient c = ehloClient(authServer(b -> b.requireTlsForAuth(false)));
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).startsWith("235 ");
        c.cmd("STARTTLS");
        c.startTls(TlsMaterial.anonymousClient());
        c.replyLinesOf("EHLO client.example");
        assertThat(c.mail("a@example.com", "b@example.com", "x\r\n.\r\n")).startsWith("250 ");
        assertThat(handler.nextMessage().authenticatedAs()).isNull();
    }

    @Test
    void plaintextAuthWhenTheConfigurationAllowsIt() throws Exception {
        RawClient c = client(start(b -> b.authEnabled(true).requireTlsForAuth(false)));
        assertThat(c.replyLinesOf("EHLO client.example")).endsWith("250 AUTH PLAIN LOGIN");
        assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).startsWith("235 ");
    }

    @Test
    void handlerWithoutAuthSupportRefusesEveryMechanism() throws Exception {
        SmtpServer server = new SmtpServer(defaults().authEnabled(true).requireTlsForAuth(false).build(), info -> new SessionHandler() {
            @Override public Reply mail(MailFrom mailFrom) { return Reply.of(250, "2.1.0", "OK"); }
            @Override public Reply rcpt(RcptTo rcptTo) { return Reply.of(250, "2.1.5", "OK"); }
            @Override public Reply data(Transaction transaction) { return Reply.of(250, "2.0.0", "OK"); }
        }).start();
        try {
            RawClient c = ehloClient(server);
            assertThat(c.cmd("AUTH PLAIN " + b64("\0alice\0secret"))).isEqualTo("504 5.5.4 Unrecognized authentication type");
        } finally {
            server.close();
        }
    }
}
