package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.smtp.server.BufferBudget;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A FETCH of BODY[] set \Seen with one store write per message, one after another, each moving the
 * mailbox's change version, and each scanning the session's whole view: a FETCH of a few hundred
 * messages took several times as long as with BODY.PEEK[]. Now the command sets \Seen on the messages
 * it sent in one store write, before its tagged response (also before a NO [LIMIT] part way), and
 * each response still carries FLAGS (\Seen). Over a real socket, counting the store's flag writes.
 */
class FetchMarksSeenInOneStoreWriteTest {

    private static final long BUDGET = 16_384;
    private static final int SMALL = 20;

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private final AtomicInteger flagWrites = new AtomicInteger();
    /** The next flag write fails as a full disk would. */
    private volatile boolean failNextWrite;
    private ImapFixture f;
    private Mailbox alice;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = ImapFixture.watchingFolders(dir, budget, this::counting);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        for (int n = 1; n <= SMALL; n++) f.deliver(alice, Folder.INBOX, "Subject: m" + n + "\n\nbody " + n + "\n");
        f.deliver(alice, Folder.INBOX, "Subject: large\n\n" + "x".repeat(6000) + "\n");
        f.deliver(alice, Folder.INBOX, "Subject: after\n\nlast\n");
        c = f.loggedIn("alice@a.example");
        c.command("s", "SELECT INBOX");
    }

    @AfterEach
    void stop() throws Exception {
        c.close();
        f.close();
    }

    @Test
    void manyUnseenMessagesAreMarkedInOneWriteAndEachResponseSaysSo() throws Exception {
        List<String> fetched = c.command("a", "FETCH 1:" + SMALL + " BODY[]");
        assertThat(fetched.getLast()).isEqualTo("a OK FETCH completed");
        assertThat(fetched).hasSize(SMALL + 1);
        for (int n = 1; n <= SMALL; n++) {
            assertThat(fetched.get(n - 1)).startsWith("* " + n + " FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        }
        assertThat(flagWrites).hasValue(1);
        assertThat(seenInStore()).isEqualTo(SMALL);
        // The session's view has them \Seen: a second FETCH tells nothing new; its one write changes nothing, yet is
        // made, the first write having moved the change signal since the view was read (see below).
        assertThat(c.command("b", "FETCH 1:" + SMALL + " BODY[]")).allSatisfy(l -> assertThat(l).doesNotContain("FLAGS"));
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        assertThat(flagWrites).hasValue(2);
        assertThat(seenInStore()).isEqualTo(SMALL);
        // Read again by the NOOP, the view is current: the same FETCH now asks nothing of the store's writer.
        assertThat(c.command("c", "FETCH 1:" + SMALL + " BODY[]").getLast()).isEqualTo("c OK FETCH completed");
        assertThat(flagWrites).hasValue(2);
    }

    /**
     * Another session cleared \Seen after this one's view had it: a FETCH of BODY[] set \Seen only where the view
     * lacked it, so it told (\Seen) from the view, wrote nothing, and the next NOOP told (). Now the change signal
     * having moved since the view was read, every message sent goes in its one write, whatever the view says.
     */
    @Test
    void aFetchSetsSeenAnotherSessionClearedUnbeknownToThisOne() throws Exception {
        c.command("a", "FETCH 1 BODY[]");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed"); // the view is current again
        clearSeenElsewhere();
        List<String> again = c.command("b", "FETCH 1 (FLAGS BODY[])");
        assertThat(again.getFirst()).startsWith("* 1 FETCH (FLAGS (\\Seen) BODY[] {");
        assertThat(again.getLast()).isEqualTo("b OK FETCH completed");
        assertThat(seenInStore()).isOne();
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
    }

    /** Should that write fail, the client, told nothing new, is told the store's () by the next sync, not before the NO. */
    @Test
    void aFailedWriteOfASeenTheViewHadIsToldByTheNextSync() throws Exception {
        c.command("a", "FETCH 1 BODY[]");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        clearSeenElsewhere();
        failNextWrite = true;
        List<String> again = c.command("b", "FETCH 1 BODY[]");
        assertThat(again).hasSize(2);
        assertThat(again.getFirst()).doesNotContain("FLAGS");
        assertThat(again.getLast()).startsWith("b NO [UNAVAILABLE]");
        assertThat(c.command("n", "NOOP")).containsExactly("* 1 FETCH (FLAGS ())", "n OK NOOP completed");
    }

    private void clearSeenElsewhere() throws Exception {
        try (ImapClient other = f.loggedIn("alice@a.example")) {
            other.command("s", "SELECT INBOX");
            assertThat(other.command("o", "STORE 1 -FLAGS (\\Seen)").getLast()).isEqualTo("o OK STORE completed");
        }
        assertThat(seenInStore()).isZero();
    }

    @Test
    void aFetchRefusedPartWayMarksOnlyTheMessagesItSent() throws Exception {
        ImapFixture.othersHold(budget, 3); // 4096 octets left: the large message has no room
        List<String> fetched = c.command("a", "FETCH " + (SMALL - 1) + ":* BODY[]");
        assertThat(fetched).hasSize(3);
        assertThat(fetched.get(0)).startsWith("* " + (SMALL - 1) + " FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.get(1)).startsWith("* " + SMALL + " FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.getLast()).startsWith("a NO [LIMIT]");
        assertThat(flagWrites).hasValue(1);
        assertThat(seenInStore()).isEqualTo(2);
        assertThat(c.command("b", "FETCH " + (SMALL - 1) + ":* FLAGS")).containsExactly(
                "* " + (SMALL - 1) + " FETCH (FLAGS (\\Seen))", "* " + SMALL + " FETCH (FLAGS (\\Seen))",
                "* " + (SMALL + 1) + " FETCH (FLAGS ())", "* " + (SMALL + 2) + " FETCH (FLAGS ())", "b OK FETCH completed");
    }

    /**
     * The responses told the client \Seen before the one write failed: the command itself tells it, before its
     * tagged NO, that they are not (the next sync used to, leaving the session's view with \Seen meanwhile).
     */
    @Test
    void aFailedSeenWriteIsCorrectedBeforeTheTaggedNo() throws Exception {
        failNextWrite = true;
        List<String> fetched = c.command("a", "FETCH 1:2 BODY[]");
        assertThat(fetched).hasSize(5);
        assertThat(fetched.get(0)).startsWith("* 1 FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.get(1)).startsWith("* 2 FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.subList(2, 4)).containsExactly("* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())");
        assertThat(fetched.getLast()).startsWith("a NO [UNAVAILABLE]");
        assertThat(seenInStore()).isZero();
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
    }

    /** RFC 9051 section 6.4.5: BODY[] sets \Seen. After a failed write the same FETCH again did not even try. */
    @Test
    void theSameFetchAfterAFailedSeenWriteSetsSeen() throws Exception {
        failNextWrite = true;
        assertThat(c.command("a", "FETCH 1 BODY[]").getLast()).startsWith("a NO [UNAVAILABLE]");
        List<String> again = c.command("b", "FETCH 1 BODY[]");
        assertThat(again).hasSize(2);
        assertThat(again.getFirst()).endsWith(" FLAGS (\\Seen))");
        assertThat(again.getLast()).isEqualTo("b OK FETCH completed");
        assertThat(seenInStore()).isOne();
        assertThat(c.command("f", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Seen))", "f OK FETCH completed");
        assertThat(flagWrites).hasValue(2);
    }

    @Test
    void aUidFetchCorrectsWithTheUid() throws Exception {
        failNextWrite = true;
        List<String> fetched = c.command("a", "UID FETCH 1 BODY[]");
        assertThat(fetched).hasSize(3);
        assertThat(fetched.get(1)).isEqualTo("* 1 FETCH (UID 1 FLAGS ())");
        assertThat(c.command("b", "UID FETCH 1 BODY[]").getFirst()).endsWith(" FLAGS (\\Seen))");
        assertThat(seenInStore()).isOne();
    }

    /**
     * A .SILENT STORE after the failed write wrote the store's (\\Flagged) into the view and said nothing, nor did the
     * next sync: the client, last told (\\Seen), believed \\Seen \\Flagged for good. Now it was told () before the NO,
     * so its own +\\Flagged gives it what the store has.
     */
    @Test
    void aSilentStoreAfterAFailedSeenWriteLeavesTheClientRight() throws Exception {
        failNextWrite = true;
        assertThat(lastFlagsTold(c.command("a", "FETCH 1 BODY[]"), 1)).isEqualTo("FLAGS ()");
        assertThat(c.command("b", "STORE 1 +FLAGS.SILENT (\\Flagged)")).containsExactly("b OK STORE completed");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        assertThat(c.command("f", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS (\\Flagged))", "f OK FETCH completed");
    }

    /** RFC 9051 section 6.4.6: .SILENT or not, a change from elsewhere is told; the store used to absorb it unsaid. */
    @Test
    void aSilentStoreTellsWhatAnotherSessionChanged() throws Exception {
        try (ImapClient other = f.loggedIn("alice@a.example")) {
            other.command("s", "SELECT INBOX");
            other.command("o", "STORE 1 +FLAGS.SILENT (\\Answered)");
        }
        assertThat(c.command("b", "STORE 1:2 +FLAGS.SILENT (\\Flagged)"))
                .containsExactly("* 1 FETCH (FLAGS (\\Answered \\Flagged))", "b OK STORE completed");
        assertThat(c.command("d", "STORE 1 -FLAGS.SILENT (\\Flagged)")).containsExactly("d OK STORE completed");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
    }

    /** The NO [LIMIT] of a FETCH stopped part way stays one when the \Seen write for what it sent fails too. */
    @Test
    void aFailedSeenWriteDoesNotHideTheLimit() throws Exception {
        ImapFixture.othersHold(budget, 3); // 4096 octets left: the large message has no room
        failNextWrite = true;
        List<String> fetched = c.command("a", "FETCH " + (SMALL - 1) + ":* BODY[]");
        assertThat(fetched).hasSize(5);
        assertThat(fetched.subList(2, 4)).containsExactly("* " + (SMALL - 1) + " FETCH (FLAGS ())", "* " + SMALL + " FETCH (FLAGS ())");
        assertThat(fetched.getLast()).startsWith("a NO [LIMIT]");
        assertThat(seenInStore()).isZero();
    }

    /** The flags the lines last told of message {@code n}, as "FLAGS (...)". */
    private static String lastFlagsTold(List<String> lines, int n) {
        String told = null;
        for (String line : lines) {
            int at = line.lastIndexOf("FLAGS (");
            if (line.startsWith("* " + n + " FETCH (") && at >= 0) told = line.substring(at, line.indexOf(')', at) + 1);
        }
        return told;
    }

    private long seenInStore() {
        return f.store.mailboxFolders().folder(alice.id(), MailboxFolders.Key.of(Folder.INBOX)).messages().stream()
                .filter(e -> e.flags().contains(Flag.SEEN)).count();
    }

    private MailboxFolders counting(MailboxFolders store) {
        return (MailboxFolders) Proxy.newProxyInstance(MailboxFolders.class.getClassLoader(), new Class<?>[]{MailboxFolders.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("store")) {
                        flagWrites.incrementAndGet();
                        if (failNextWrite) {
                            failNextWrite = false;
                            throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
                        }
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
