package sluice.imap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client that drops its connection while a FETCH response is written ended its session quietly, except
 * when the write that failed was the response's closing parenthesis: then the session logged a WARN that
 * the mailbox store was unavailable and tried to answer NO [UNAVAILABLE]. The message here is sized so
 * that exactly that write is the one that reaches the socket.
 */
class AClientGoneMidFetchIsNotAStoreFailureTest {

    @TempDir
    Path dir;

    /** A BODYSTRUCTURE of about 16 KB of text: Content-Type parameters, each short enough to be quoted. */
    private static String message(int padding) {
        StringBuilder ct = new StringBuilder("Content-Type: text/plain");
        for (int i = 0; i < 17; i++) ct.append(";\n p").append(i).append("=\"").append("x".repeat(900)).append('"');
        ct.append(";\n pad=\"").append("y".repeat(padding)).append('"');
        return ct + "\nSubject: big structure\n\nbody\n";
    }

    @Test
    void aResetDuringTheLastWriteOfAFetchResponseEndsTheSessionWithoutAWarning() throws Exception {
        AtomicBoolean hold = new AtomicBoolean();
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch gone = new CountDownLatch(1);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        try (ImapFixture f = new ImapFixture(dir, Duration.ofMinutes(30), Duration.ofMillis(100), Duration.ofMinutes(1),
                store -> ImapFixture.holdingContent(store, hold, reading, gone))) {
            Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
            f.deliver(alice, Folder.INBOX, message(500));
            int padding;
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                c.command("s", "SELECT INBOX");
                String line = c.command("a", "FETCH 1 (BODYSTRUCTURE)").getFirst();
                // The response builder writes its text once it holds CHUNK octets: make ")\r\n" the octets that reach it.
                padding = 500 + (ResponseBuilder.CHUNK - 1) - line.length();
            }
            assertThat(padding).isBetween(0, 999);
            f.deliver(alice, Folder.INBOX, message(padding));
            try (ImapClient c = f.loggedIn("alice@a.example")) {
                c.command("s", "SELECT INBOX");
                hold.set(true);
                c.send("b FETCH 2 (BODYSTRUCTURE)\r\n");
                assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
                System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
                c.reset();
                Thread.sleep(200); // the reset reaches the server before its first write
                gone.countDown();
                for (int i = 0; i < 500 && f.server.sessionCount() > 0; i++) Thread.sleep(10);
                assertThat(f.server.sessionCount()).isZero();
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain("WARN").doesNotContain("failed");
    }
}
