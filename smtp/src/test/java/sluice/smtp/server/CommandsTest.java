package sluice.smtp.server;

import org.junit.jupiter.api.Test;
import sluice.smtp.Reply;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every command's reply, in and out of sequence, over a real socket. */
class CommandsTest extends ServerFixture {

    @Test
    void greetsWithHostnameAndAdvertisesEveryExtensionOnEhlo() throws Exception {
        SmtpServer server = start();
        RawClient c = track(RawClient.connect(server.port()));
        assertThat(c.reply()).isEqualTo("220 " + HOST + " ESMTP Sluice");
        c.send("EHLO client.example\r\n");
        assertThat(c.replyLines()).containsExactly("250-" + HOST, "250-PIPELINING", "250-SIZE 37748736", "250-8BITMIME",
                "250-SMTPUTF8", "250-ENHANCEDSTATUSCODES", "250-DSN", "250 CHUNKING");
    }

    @Test
    void heloAnswersWithoutExtensions() throws Exception {
        RawClient c = client(start());
        assertThat(c.replyLinesOf("HELO client.example")).containsExactly("250 " + HOST);
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("250 2.1.0 Sender OK");
    }

    @Test
    void heloNeedsExactlyOneArgument() throws Exception {
        RawClient c = client(start());
        assertThat(c.cmd("EHLO")).isEqualTo("501 5.5.4 Syntax: EHLO hostname");
        assertThat(c.cmd("HELO a b")).isEqualTo("501 5.5.4 Syntax: HELO hostname");
    }

    @Test
    void handlerMayRefuseTheHeloName() throws Exception {
        handler.onHelo = domain -> domain.equals(HOST) ? Reply.of(550, "5.7.1", "You are not me") : null;
        RawClient c = client(start());
        assertThat(c.cmd("EHLO " + HOST)).isEqualTo("550 5.7.1 You are not me");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
        assertThat(c.replyLinesOf("EHLO client.example").getFirst()).isEqualTo("250-" + HOST);
        assertThat(handler.events).contains("ehlo " + HOST, "ehlo client.example");
        handler.onHelo = domain -> Reply.of(250, "custom hello " + domain);
        assertThat(c.cmd("HELO other.example")).isEqualTo("250 custom hello other.example");
    }

    @Test
    void simpleCommands() throws Exception {
        RawClient c = client(start());
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
        assertThat(c.cmd("noop with text")).isEqualTo("250 2.0.0 OK");
        assertThat(c.cmd("HELP")).startsWith("214 2.0.0 ");
        assertThat(c.cmd("VRFY postmaster")).isEqualTo("252 2.1.5 Cannot VRFY user, but will accept message and attempt delivery");
        assertThat(c.cmd("VRFY")).isEqualTo("501 5.5.4 Syntax: VRFY <address>");
        assertThat(c.cmd("EXPN staff")).isEqualTo("502 5.5.1 EXPN not available");
        assertThat(c.cmd("RSET")).isEqualTo("250 2.0.0 OK");
        assertThat(c.cmd("RSET now")).isEqualTo("501 5.5.4 Syntax: RSET");
        assertThat(c.cmd("TURN")).isEqualTo("500 5.5.1 Command unrecognized");
        assertThat(c.cmd("STARTTLS")).isEqualTo("502 5.5.1 Command not implemented");
        assertThat(c.cmd("AUTH PLAIN")).isEqualTo("502 5.5.1 AUTH not available");
        assertThat(c.cmd("QUIT")).isEqualTo("221 " + HOST + " Service closing transmission channel");
        c.assertClosed();
    }

    @Test
    void sequencingErrors() throws Exception {
        RawClient c = client(start());
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("503 5.5.1 Send EHLO or HELO first");
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(c.cmd("DATA")).isEqualTo("503 5.5.1 Need MAIL command");
        c.send("EHLO client.example\r\n").replyLines();
        assertThat(c.cmd("DATA")).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("250 2.1.0 Sender OK");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("503 5.5.1 Sender already specified");
        assertThat(c.cmd("DATA")).isEqualTo("554 5.5.1 No valid recipients");
        assertThat(c.cmd("DATA extra")).isEqualTo("501 5.5.4 Syntax: DATA");
        assertThat(c.cmd("RSET")).isEqualTo("250 2.0.0 OK");
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("503 5.5.1 Need MAIL command");
    }

    @Test
    void mailAndRcptNeedTheirKeyword() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("MAIL <a@example.com>")).isEqualTo("501 5.5.4 Syntax: MAIL FROM:<address> [parameters]");
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).startsWith("250 ");
        assertThat(c.cmd("RCPT <b@example.com>")).isEqualTo("501 5.5.4 Syntax: RCPT TO:<address> [parameters]");
    }

    @Test
    void ehloResetsTheTransaction() throws Exception {
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        c.send("EHLO again.example\r\n").replyLines();
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("503 5.5.1 Need MAIL command");
        assertThat(handler.events).contains("reset");
    }

    @Test
    void handlerRepliesAreSentAsTheyAre() throws Exception {
        handler.onRcpt = r -> Reply.of(550, "5.4.1", "Recipient address rejected: Access denied");
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.cmd("RCPT TO:<nobody@example.com>")).isEqualTo("550 5.4.1 Recipient address rejected: Access denied");
        assertThat(c.cmd("DATA")).isEqualTo("554 5.5.1 No valid recipients");
    }

    @Test
    void handlerThatThrowsGets451AndTheTransactionIsReset() throws Exception {
        handler.onRcpt = r -> {
            throw new IllegalStateException("directory down");
        };
        RawClient c = ehloClient(start());
        c.cmd("MAIL FROM:<a@example.com>");
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("451 4.3.0 Temporary server error, please try again later");
        assertThat(c.cmd("RCPT TO:<b@example.com>")).isEqualTo("503 5.5.1 Need MAIL command");
        handler.onMail = m -> null;
        assertThat(c.cmd("MAIL FROM:<a@example.com>")).isEqualTo("451 4.3.0 Temporary server error, please try again later");
    }

    @Test
    void handlerThatRefusesAtConnectClosesTheSession() throws Exception {
        handler.onConnect = () -> Reply.of(554, "5.7.1", "Your address is on a block list");
        RawClient c = track(RawClient.connect(start().port()));
        assertThat(c.reply()).isEqualTo("554 5.7.1 Your address is on a block list");
        c.assertClosed();
    }

    @Test
    void handlerGreetingReplacesTheDefault() throws Exception {
        handler.onConnect = () -> Reply.of(220, "custom.example ready");
        RawClient c = track(RawClient.connect(start().port()));
        assertThat(c.reply()).isEqualTo("220 custom.example ready");
    }

    @Test
    void commandLineOver512OctetsIsRefused() throws Exception {
        RawClient c = ehloClient(start());
        String line510 = "NOOP " + "x".repeat(505);
        assertThat(c.cmd(line510)).isEqualTo("250 2.0.0 OK");
        assertThat(c.cmd(line510 + "x")).isEqualTo("500 5.5.6 Line too long");
        assertThat(c.cmd("NOOP " + "x".repeat(20_000))).isEqualTo("500 5.5.6 Line too long");
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
    }

    @Test
    void nulAndInvalidUtf8InCommandsAreRefused() throws Exception {
        RawClient c = ehloClient(start());
        assertThat(c.cmd("NOOP \0")).isEqualTo("500 5.5.2 NUL octet not allowed in commands");
        c.send(new byte[]{'N', 'O', 'O', 'P', ' ', (byte) 0xC3, '(', '\r', '\n'});
        assertThat(c.reply()).isEqualTo("500 5.5.2 Invalid UTF-8 in command");
    }

    @Test
    void bareLineEndsInCommandsCloseTheSession() throws Exception {
        SmtpServer server = start();
        for (String bad : List.of("NOOP\n", "NOOP\rRSET\r\n", "MAIL FROM:<a@example.com>\r\rRSET\r\n")) {
            RawClient c = ehloClient(server);
            c.send(bad);
            assertThat(c.reply()).as(bad).isEqualTo("554 5.5.2 " + HOST + " Bare CR or LF in command not allowed, closing connection");
            c.assertClosed();
        }
        assertThat(handler.mails).isEmpty();
    }

    @Test
    void tooManyErrorsCloseTheSession() throws Exception {
        RawClient c = client(start(b -> b.maxErrors(3)));
        for (int i = 0; i < 3; i++) assertThat(c.cmd("BOGUS")).isEqualTo("500 5.5.1 Command unrecognized");
        assertThat(c.cmd("NOOP")).isEqualTo("250 2.0.0 OK");
        assertThat(c.cmd("BOGUS")).isEqualTo("421 4.7.0 " + HOST + " Too many errors, closing connection");
        c.assertClosed();
    }

    @Test
    void defaultErrorBudgetIsTwentyAsPostfixs() throws Exception {
        // a mailing list with stale addresses gets twenty refusals per session, slowed down after ten
        RawClient c = client(start());
        for (int i = 0; i < 20; i++) assertThat(c.cmd("MAIL FROM:<a@b.example>")).startsWith("503 5.5.1");
        assertThat(c.cmd("HELO")).startsWith("421 4.7.0");
        c.assertClosed();
    }

    @Test
    void handlerSeesConnectionFactsAndIsClosed() throws Exception {
        SmtpServer server = start();
        RawClient c = client(server);
        c.cmd("QUIT");
        c.assertClosed();
        assertThat(handler.connections).hasSize(1);
        var info = handler.connections.getFirst();
        assertThat(info.sessionId()).hasSize(16);
        assertThat(info.local().getPort()).isEqualTo(server.port());
        assertThat(info.implicitTls()).isFalse();
        awaitEvent("close");
    }

    void awaitEvent(String event) throws InterruptedException {
        for (int i = 0; i < 500 && !handler.events.contains(event); i++) Thread.sleep(10);
        assertThat(handler.events).contains(event);
    }
}
