package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.smtp.server.BufferBudget;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SEARCH BODY and TEXT read a message as lower-cased text. They held the whole text besides the octets and
 * took three times the octets from the buffer budget, so a message over a third of a client's share was
 * read only alone (as all its client held, beyond its share) and, with other clients busy, a whole SEARCH
 * failed with "try again later". Now the text is decoded a bounded chunk at a time and a text search takes
 * the message's octets, as any other key does. Over a real socket, with other clients holding half of the node's budget.
 */
class SearchTextIsHeldWithinTheBufferBudgetTest {

    /** One client's share: 4096 octets; 8192 are left to this client's node once the others took theirs. */
    private static final long BUDGET = 16_384;

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private ImapFixture f;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, store -> store, budget);
        Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: notes\n\n" + "x".repeat(3000) + "\nneedle\n");
        f.deliver(alice, Folder.INBOX, "Subject: larger\n\n" + "y".repeat(6000) + "\n");
        c = f.loggedIn("alice@a.example");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void aTextSearchTakesTheMessageOnce() throws Exception {
        ImapFixture.othersHold(budget, 3);
        // Some 3050 octets fit in the 4096 left; three times them did not.
        assertThat(c.command("a", "SEARCH 1 BODY needle")).containsExactly("* SEARCH 1", "a OK SEARCH completed");
        assertThat(c.command("b", "SEARCH 1 TEXT NOTES")).containsExactly("* SEARCH 1", "b OK SEARCH completed");
        assertThat(c.command("c", "SEARCH 1 BODY haystack")).containsExactly("* SEARCH", "c OK SEARCH completed");
        assertThat(budget.used()).isEqualTo(3 * BUDGET / 4);
    }

    @Test
    void aMessageThatFitsTheBudgetIsNotTooLargeForATextSearch() throws Exception {
        // Some 6020 octets: three times them were more than the whole budget, so it was said to be too large.
        assertThat(c.command("a", "SEARCH 2 NOT TEXT zzz")).containsExactly("* SEARCH 2", "a OK SEARCH completed");
        assertThat(c.command("b", "SEARCH TEXT yyy")).containsExactly("* SEARCH 2", "b OK SEARCH completed");
        assertThat(budget.used()).isZero();
    }
}
