package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.smtp.ClientNetwork;
import sluice.smtp.server.BufferBudget;

import java.net.InetAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Delivery adds header fields (Received, DKIM-Signature), so a message of the size limit is stored
 * larger than one client's share of the buffer budget even when the budget is four times the limit.
 * Such a message could never be fetched, and the refusal told the client to try again later, which it
 * did for ever. Now it is held as all its client holds when the node has room, and one larger than
 * the whole budget is refused with words that do not invite a retry. Over a real socket.
 */
class AMessageLargerThanAClientsShareTest {

    /** One client's share: 4096 octets. */
    private static final long BUDGET = 16_384;
    private static final ClientNetwork LOOPBACK = ClientNetwork.of(InetAddress.ofLiteral("127.0.0.1"));

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private ImapFixture f;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, store -> store, budget);
        Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: small\n\nsmall body\n");
        f.deliver(alice, Folder.INBOX, "Subject: over a share\n\n" + "x".repeat(6000) + "\n");
        f.deliver(alice, Folder.INBOX, "Subject: over the budget\n\n" + "y".repeat(20_000) + "\n");
        f.deliver(alice, Folder.INBOX, "Subject: over three shares\n\n" + "z".repeat(13_000) + "\n");
        c = f.loggedIn("alice@a.example");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void aMessageLargerThanAShareIsFetchedAndSearchedAloneWhenTheNodeHasRoom() throws Exception {
        var fetched = c.command("a", "FETCH 1:2 BODY.PEEK[TEXT]");
        assertThat(fetched).hasSize(3);
        assertThat(fetched.get(1)).startsWith("* 2 FETCH (BODY[TEXT] {6002}\r\nxxxx");
        assertThat(fetched.getLast()).isEqualTo("a OK FETCH completed");
        assertThat(c.command("b", "SEARCH 1:2 SUBJECT share")).containsExactly("* SEARCH 2", "b OK SEARCH completed");
        assertThat(budget.used()).isZero();
    }

    @Test
    void aMessageLargerThanAShareWaitsWhileTheClientHoldsAnythingElse() throws Exception {
        assertThat(budget.take(LOOPBACK, 10)).isTrue(); // say, an APPEND of another session from the same address
        assertThat(c.command("a", "FETCH 2 BODY.PEEK[]")).singleElement().asString()
                .startsWith("a NO [LIMIT] No room now").endsWith("try again later");
        budget.give(LOOPBACK, 10);
        assertThat(c.command("b", "FETCH 2 BODY.PEEK[]").getLast()).isEqualTo("b OK FETCH completed");
    }

    /** A client reading slowly must not hold what SMTP intake needs: held alone, a message leaves a share free. */
    @Test
    void aMessageHeldAloneLeavesAClientsShareFree() throws Exception {
        ImapFixture.othersHold(budget, 2); // 8192 octets left: room for the message, not for it and a share
        assertThat(c.command("a", "FETCH 2 BODY.PEEK[]")).singleElement().asString()
                .startsWith("a NO [LIMIT] No room now").endsWith("try again later");
        assertThat(budget.take(ImapFixture.other(3), budget.perClient())).isTrue();
        budget.give(ImapFixture.other(3), budget.perClient());
        budget.give(ImapFixture.other(2), budget.perClient());
        assertThat(c.command("b", "FETCH 2 BODY.PEEK[]").getLast()).isEqualTo("b OK FETCH completed");
        assertThat(c.command("c", "FETCH 4 BODY.PEEK[]")).singleElement().asString()
                .matches("c NO \\[LIMIT] The message of \\d+ octets is larger than this server can hold for one client");
    }

    @Test
    void aMessageLargerThanTheWholeBudgetIsRefusedWithoutInvitingARetry() throws Exception {
        var refused = c.command("a", "FETCH 3 BODY[]");
        assertThat(refused).singleElement().asString()
                .matches("a NO \\[LIMIT] The message of \\d+ octets is larger than this server can hold for one client");
        assertThat(c.command("b", "SEARCH TEXT yyyy")).singleElement().asString()
                .startsWith("b NO [LIMIT] The message of ").doesNotContain("try again");
        assertThat(c.command("c", "FETCH 3 FLAGS")).containsExactly("* 3 FETCH (FLAGS ())", "c OK FETCH completed");
        assertThat(budget.used()).isZero();
    }
}
