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
        // The session's view has them \Seen: a second FETCH marks nothing and tells nothing new.
        assertThat(c.command("b", "FETCH 1:" + SMALL + " BODY[]")).allSatisfy(l -> assertThat(l).doesNotContain("FLAGS"));
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        assertThat(flagWrites).hasValue(1);
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

    /** The responses told the client \Seen before the one write failed: the next sync tells it they are not. */
    @Test
    void aFailedSeenWriteIsCorrectedByTheNextSync() throws Exception {
        failNextWrite = true;
        assertThat(String.join("\n", c.command("a", "FETCH 1:2 BODY[]"))).contains("FLAGS (\\Seen)").contains("a NO");
        assertThat(seenInStore()).isZero();
        assertThat(c.command("n", "NOOP")).contains("* 1 FETCH (FLAGS ())", "* 2 FETCH (FLAGS ())");
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
