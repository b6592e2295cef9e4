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
 * When the one store write that sets \Seen after a FETCH fails, the responses already told the client \Seen:
 * the next sync must tell it the messages are not \Seen after all. Over a real socket, with a store whose
 * first flag write fails.
 */
class FetchSeenStoreFailsTest {

    private static final long BUDGET = 16_384;
    private static final int SMALL = 20;

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private final AtomicInteger flagWrites = new AtomicInteger();
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
    void aFailedSeenWriteIsCorrectedByTheNextSync() throws Exception {
        assertThat(String.join("\n", c.command("a", "FETCH 1:2 BODY[]"))).contains("FLAGS (\\Seen)").contains("a NO");
        assertThat(seenInStore()).isZero();
        String noop = String.join("\n", c.command("n", "NOOP"));
        assertThat(noop).contains("* 1 FETCH (FLAGS ())").contains("* 2 FETCH (FLAGS ())");
    }

    private long seenInStore() {
        return f.store.mailboxFolders().folder(alice.id(), MailboxFolders.Key.of(Folder.INBOX)).messages().stream()
                .filter(e -> e.flags().contains(Flag.SEEN)).count();
    }

    private MailboxFolders counting(MailboxFolders store) {
        return (MailboxFolders) Proxy.newProxyInstance(MailboxFolders.class.getClassLoader(), new Class<?>[]{MailboxFolders.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("store") && flagWrites.incrementAndGet() == 1) throw new java.io.UncheckedIOException(new java.io.IOException("disk full"));
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
