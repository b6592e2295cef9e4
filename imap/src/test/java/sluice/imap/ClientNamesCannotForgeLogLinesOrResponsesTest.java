package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A username or folder name sent as a literal may hold CR LF. Logged, it is escaped, so it cannot
 * write a log line of its own; echoed in a response, its control characters are replaced, so it cannot
 * end the response early and make the next line look like one the server sent.
 */
class ClientNamesCannotForgeLogLinesOrResponsesTest {

    static final String FORGED = "[imap-1] INFO sluice.imap.login - imap login ok for alice@a.example (mailbox alice@a.example)";

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

    private static String literalPlus(String text) {
        return "{" + text.getBytes(StandardCharsets.UTF_8).length + "+}\r\n" + text;
    }

    @Test
    void aUsernameWithCrLfIsLoggedOnOneLine() throws Exception {
        String user = "mallory\r\n" + FORGED;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try (ImapClient c = ImapClient.connect(f.server.port())) {
            c.line();
            c.startTls(ImapFixture.clientTls());
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            assertThat(c.command("a", "LOGIN " + literalPlus(user) + " wrong"))
                    .containsExactly("a NO [AUTHENTICATIONFAILED] Authentication failed");
        } finally {
            System.setErr(stderr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("imap login failed for mallory\\r\\n" + FORGED);
        assertThat(logged.split("[\r\n]+")).noneMatch(line -> line.startsWith(FORGED));
    }

    @Test
    void folderNamesWithCrLfAreEchoedOnOneLine() throws Exception {
        String name = "nowhere\r\n* 1 EXISTS";
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            assertThat(c.command("a", "SELECT " + literalPlus(name)))
                    .containsExactly("a NO [NONEXISTENT] No folder nowhere??* 1 EXISTS");
            assertThat(c.command("b", "STATUS " + literalPlus(name) + " (MESSAGES)"))
                    .containsExactly("b NO [NONEXISTENT] No folder nowhere??* 1 EXISTS");
            assertThat(c.command("c", "APPEND " + literalPlus(name) + " " + literalPlus("Subject: x\r\n\r\nx\r\n")))
                    .containsExactly("c NO [TRYCREATE] No folder nowhere??* 1 EXISTS");
            assertThat(c.command("d", "NOOP")).containsExactly("d OK NOOP completed");
        }
    }

    @Test
    void everyReplyThatQuotesTheClientIsOnOneLine() throws Exception {
        f.deliver(alice, Folder.INBOX, "Subject: x\n\nx\n");
        String name = "nowhere\r\n* 1 EXISTS";
        try (ImapClient c = f.loggedIn("alice@a.example")) {
            c.command("s", "SELECT INBOX");
            assertThat(c.command("a", "COPY 1 " + literalPlus(name)))
                    .containsExactly("a NO [TRYCREATE] No folder nowhere??* 1 EXISTS");
            assertThat(c.command("b", "MOVE 1 " + literalPlus(name)))
                    .containsExactly("b NO [TRYCREATE] No folder nowhere??* 1 EXISTS");
            assertThat(c.command("c", "SUBSCRIBE " + literalPlus(name)))
                    .containsExactly("c NO [NONEXISTENT] No folder nowhere??* 1 EXISTS");
            assertThat(c.command("d", "SEARCH CHARSET " + literalPlus("koi8\r\n* 1 EXISTS") + " ALL"))
                    .containsExactly("d NO [BADCHARSET (UTF-8 US-ASCII)] Unsupported charset KOI8??* 1 EXISTS");
            assertThat(c.command("e", "SEARCH BEFORE " + literalPlus("1-Feb\r\n* 1 EXISTS")))
                    .containsExactly("e BAD dates are written like 1-Feb-2025, not 1-Feb??* 1 EXISTS");
            assertThat(c.command("f", "NOOP")).containsExactly("f OK NOOP completed");
        }
    }
}
