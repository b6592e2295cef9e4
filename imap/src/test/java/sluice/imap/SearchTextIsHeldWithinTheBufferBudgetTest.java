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
 * SEARCH BODY and TEXT read a message as lower-cased text, which holds more than the message's octets,
 * yet only the octets were taken from the buffer budget. Now such a search takes three times the
 * octets (the octets and the text's two-octet chars); other keys still take the octets alone. Over a
 * real socket, with other clients holding half of the node's budget.
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
    void aTextSearchTakesThreeTimesTheMessage() throws Exception {
        ImapFixture.othersHold(budget, 2);
        // Some 3050 octets fit in the 8192 left, three times them do not.
        assertThat(c.command("a", "SEARCH 1 SUBJECT notes")).containsExactly("* SEARCH 1", "a OK SEARCH completed");
        assertThat(c.command("b", "FETCH 1 BODY.PEEK[]").getLast()).isEqualTo("b OK FETCH completed");
        assertThat(c.command("c", "SEARCH 1 BODY needle")).singleElement().asString()
                .startsWith("c NO [LIMIT] No room now to read a message of ").endsWith("try again later");
        budget.give(ImapFixture.other(1), BUDGET / 4);
        assertThat(c.command("d", "SEARCH 1 BODY needle")).containsExactly("* SEARCH 1", "d OK SEARCH completed");
        assertThat(budget.used()).isEqualTo(BUDGET / 4);
    }

    @Test
    void aMessageWhoseTextCouldNeverBeHeldIsSaidToBeTooLarge() throws Exception {
        assertThat(c.command("a", "SEARCH 2 SUBJECT larger")).containsExactly("* SEARCH 2", "a OK SEARCH completed");
        assertThat(c.command("b", "SEARCH 2 NOT TEXT zzz")).singleElement().asString()
                .matches("b NO \\[LIMIT] The message of 60\\d\\d octets is larger than this server can hold for one client");
        assertThat(budget.used()).isZero();
    }
}
