package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** No password before TLS; LOGIN and AUTHENTICATE PLAIN after it; throttling; tenants apart. */
class ImapLoginTest {

    @TempDir
    Path dir;
    ImapFixture f;
    Mailbox alice;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void beforeStartTlsLoginIsDisabledAndRefused() throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            assertThat(c.line()).startsWith("* OK [CAPABILITY IMAP4rev1 ").contains(" STARTTLS LOGINDISABLED]").doesNotContain("AUTH=");
            assertThat(c.command("a", "LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\""))
                    .containsExactly("a NO [PRIVACYREQUIRED] LOGIN is disabled until STARTTLS: no passwords without TLS");
            assertThat(c.command("b", "AUTHENTICATE PLAIN " + plain("alice@a.example", ImapFixture.PASSWORD)))
                    .containsExactly("b NO [PRIVACYREQUIRED] Use STARTTLS first: no passwords without TLS");
            assertThat(c.command("c", "SELECT INBOX")).containsExactly("c BAD Log in first");
        }
        assertThat(f.server.failedLogins()).isZero(); // refused before any password was looked at
    }

    @Test
    void afterStartTlsLoginWorksAndPlaintextSentBeforeTheHandshakeIsDropped() throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            // A command injected behind STARTTLS in the same segment must never be executed (RFC 9051 section 11.1).
            c.send("tls STARTTLS\r\ninjected CAPABILITY\r\n");
            assertThat(c.line()).isEqualTo("tls OK Begin TLS negotiation now");
            var ssl = (javax.net.ssl.SSLSocket) ImapFixture.clientTls().getSocketFactory()
                    .createSocket(socketOf(c), "localhost", f.server.port(), true);
            ssl.startHandshake();
            try (ImapClient t = new ImapClient(ssl)) {
                List<String> caps = t.command("a", "CAPABILITY");
                assertThat(caps).hasSize(2);
                assertThat(caps.getFirst()).contains("AUTH=PLAIN").doesNotContain("LOGINDISABLED").doesNotContain("STARTTLS");
                assertThat(t.command("b", "STARTTLS")).containsExactly("b BAD TLS is already active");
                assertThat(t.command("c", "LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\"").getLast())
                        .startsWith("c OK [CAPABILITY IMAP4rev1").endsWith("] Logged in");
            }
        }
    }

    private static java.net.Socket socketOf(ImapClient c) throws Exception {
        var field = ImapClient.class.getDeclaredField("socket");
        field.setAccessible(true);
        return (java.net.Socket) field.get(c);
    }

    @Test
    void authenticatePlainWithInitialResponseWithContinuationAndCancelled() throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.startTls(ImapFixture.clientTls());
            c.send("a AUTHENTICATE PLAIN\r\n");
            assertThat(c.line()).isEqualTo("+ ");
            assertThat(c.send("*\r\n").until("a")).containsExactly("a BAD AUTHENTICATE cancelled");
            assertThat(c.command("b", "AUTHENTICATE PLAIN !!!")).containsExactly("b BAD The PLAIN response is not base64");
            assertThat(c.command("c", "AUTHENTICATE PLAIN " + plain("bob@a.example", "alice@a.example", "x")))
                    .containsExactly("c NO [AUTHORIZATIONFAILED] Logging in as another user is not allowed");
            c.send("d AUTHENTICATE PLAIN\r\n");
            assertThat(c.line()).isEqualTo("+ ");
            assertThat(c.send(plain("alice@a.example", ImapFixture.PASSWORD) + "\r\n").until("d").getLast()).startsWith("d OK ");
        }
        try (ImapClient c = ImapClient.connectTls(f.tlsServer.port(), ImapFixture.clientTls())) {
            assertThat(c.line()).contains("AUTH=PLAIN").doesNotContain("STARTTLS");
            assertThat(c.command("a", "AUTHENTICATE PLAIN " + plain("", "alice@a.example", ImapFixture.PASSWORD)).getLast())
                    .startsWith("a OK ");
        }
    }

    private static String plain(String user, String password) {
        return plain(user, user, password);
    }

    private static String plain(String authz, String user, String password) {
        return Base64.getEncoder().encodeToString((authz + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void failedLoginsFromOneAddressAreThrottledEvenWithTheRightPasswordAfterwards() throws Exception {
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.startTls(ImapFixture.clientTls());
            for (int i = 0; i < 3; i++) {
                assertThat(c.command("a" + i, "LOGIN alice@a.example wrong" + i))
                        .containsExactly("a" + i + " NO [AUTHENTICATIONFAILED] Authentication failed");
            }
            assertThat(c.command("b", "LOGIN alice@a.example \"" + ImapFixture.PASSWORD + "\""))
                    .containsExactly("b NO [UNAVAILABLE] Too many failed logins from your address; try again later");
        }
        assertThat(f.server.failedLogins()).isEqualTo(4);
        assertThat(f.server.successfulLogins()).isZero();
    }

    @Test
    void aMailboxWithTheSameLocalPartInAnotherOrganizationSeesOnlyItsOwnMail() throws Exception {
        Mailbox other = f.mailbox("alice@b.example", "b's own password", 0);
        f.deliver(alice, Folder.INBOX, "Subject: for A\n\nsecret of A\n");
        f.deliver(other, Folder.INBOX, "Subject: for B\n\nhello B\n");
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.startTls(ImapFixture.clientTls());
            assertThat(c.command("a", "LOGIN alice@b.example \"" + ImapFixture.PASSWORD + "\""))
                    .containsExactly("a NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(c.command("b", "LOGIN alice \"" + ImapFixture.PASSWORD + "\""))
                    .containsExactly("b NO [AUTHENTICATIONFAILED] Authentication failed");
            assertThat(c.command("c", "LOGIN alice@b.example \"b's own password\"").getLast()).startsWith("c OK ");
            assertThat(c.command("d", "SELECT INBOX")).contains("* 1 EXISTS");
            List<String> body = c.command("e", "FETCH 1:* BODY.PEEK[]");
            assertThat(String.join("\n", body)).contains("hello B").doesNotContain("secret of A");
            assertThat(c.command("f", "UID FETCH 1:* (UID)")).hasSize(2);
        }
    }

    @Test
    void aMailboxWithoutPasswordCannotLogIn() throws Exception {
        f.mailbox("nopass@a.example", null, 0);
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.startTls(ImapFixture.clientTls());
            assertThat(c.command("a", "LOGIN nopass@a.example \"\"")).containsExactly("a NO [AUTHENTICATIONFAILED] Authentication failed");
        }
    }
}
