package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.smtp.server.BufferBudget;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FETCH and SEARCH read a stored message whole into memory (up to the message size limit) with no
 * node-wide bound: forty clients fetching 25 MiB messages at once held a gigabyte. Now a message held
 * for a FETCH or a SEARCH takes its octets from the node's buffer budget, the one SMTP and APPEND draw
 * on, over a real socket: without room it is answered {@code NO [LIMIT]} and the session goes on, and
 * every octet is given back, also when the client goes away mid-response.
 */
class FetchWithinTheBufferBudgetTest {

    /** One client may hold a quarter: 4096 octets. */
    private static final long BUDGET = 16_384;
    private static final String NO_ROOM = " NO [LIMIT] No room now to read a message of %d octets: too many messages are being read or received at once; try again later";

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private final AtomicBoolean hold = new AtomicBoolean();
    private final CountDownLatch reading = new CountDownLatch(1);
    private final CountDownLatch gone = new CountDownLatch(1);
    private ImapFixture f;
    private ImapClient c;
    private long large;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, store -> ImapFixture.holdingContent(store, hold, reading, gone), budget);
        Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: small\n\nsmall body\n");
        f.deliver(alice, Folder.INBOX, "Subject: large\n\n" + "x".repeat(6000) + "\n");
        large = f.store.mailboxFolders().folder(alice.id(), sluice.core.mailbox.MailboxFolders.Key.of(Folder.INBOX))
                .messages().getLast().size();
        c = f.loggedIn("alice@a.example");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        gone.countDown();
        c.close();
        f.close();
    }

    @Test
    void aMessageWithoutRoomIsRefusedWithLimitAndLeftUnseenAndTheSessionGoesOn() throws Exception {
        // Three other clients hold three quarters: 4096 octets are left, too few for the larger message.
        ImapFixture.othersHold(budget, 3);
        var fetched = c.command("a", "FETCH 1:2 BODY[]");
        assertThat(fetched).hasSize(2);
        assertThat(fetched.getFirst()).startsWith("* 1 FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.getLast()).isEqualTo("a" + NO_ROOM.formatted(large));
        assertThat(c.command("b", "FETCH 2 (BODY.PEEK[TEXT])")).containsExactly("b" + NO_ROOM.formatted(large));
        assertThat(c.command("c", "SEARCH SUBJECT small")).containsExactly("c" + NO_ROOM.formatted(large));
        // The refused message was not sent, so it stays unseen; the one that fits still comes
        assertThat(c.command("d", "FETCH 1:2 FLAGS")).containsExactly(
                "* 1 FETCH (FLAGS (\\Seen))", "* 2 FETCH (FLAGS ())", "d OK FETCH completed");
        assertThat(c.command("e", "FETCH 1 BODY[TEXT]")).containsExactly("* 1 FETCH (BODY[TEXT] {12}\r\nsmall body\r\n)", "e OK FETCH completed");
        assertThat(c.command("f", "SEARCH UNSEEN")).containsExactly("* SEARCH 2", "f OK SEARCH completed"); // flags need no content
        assertThat(budget.used()).isEqualTo(3 * BUDGET / 4); // the others' only
    }

    @Test
    void aClientGoneWhileItsMessageIsHeldGivesItsRoomBack() throws Exception {
        hold.set(true);
        c.send("a FETCH 1 BODY[]\r\n");
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(budget.used()).isPositive(); // taken before the store was asked
        c.reset();
        Thread.sleep(200); // the reset reaches the server before its first write
        gone.countDown();
        for (int i = 0; i < 500 && f.server.sessionCount() > 0; i++) Thread.sleep(10);
        assertThat(f.server.sessionCount()).isZero();
        assertThat(budget.used()).isZero();
    }
}
