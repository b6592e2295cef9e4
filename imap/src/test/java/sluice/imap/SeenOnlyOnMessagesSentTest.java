package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxStore;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.smtp.server.BufferBudget;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A FETCH of BODY[] set \Seen on every message it named before sending any, and on {@code NO [LIMIT]}
 * removed it again from those it had not sent, judged by this session's view: a \Seen that another
 * session had set meanwhile was removed with it, and the store's flags of unsent messages were copied
 * into the view, so another session's change to them was never announced. \Seen is now set on each
 * message just before its response, once its room is taken and its octets read, so nothing is undone.
 * Two sessions of one mailbox over real sockets; other clients hold most of the node's budget, so the
 * larger message has no room.
 */
class SeenOnlyOnMessagesSentTest {

    private static final long BUDGET = 16_384;

    @TempDir
    Path dir;
    private final BufferBudget budget = new BufferBudget(BUDGET);
    private final AtomicLong failing = new AtomicLong(-1);
    private ImapFixture f;
    private ImapClient a;
    private ImapClient b;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, this::failingContent, budget);
        Mailbox alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: small\n\nsmall body\n");
        f.deliver(alice, Folder.INBOX, "Subject: large\n\n" + "x".repeat(6000) + "\n");
        a = f.loggedIn("alice@a.example");
        b = f.loggedIn("alice@a.example");
        a.command("s", "SELECT INBOX");
        b.command("s", "SELECT INBOX");
        // Three other clients hold three quarters: 4096 octets are left, too few for the larger message.
        ImapFixture.othersHold(budget, 3);
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
        f.close();
    }

    @Test
    void aRefusedFetchKeepsTheSeenAnotherSessionSet() throws Exception {
        assertThat(b.command("b1", "STORE 2 +FLAGS (\\Seen)").getLast()).isEqualTo("b1 OK STORE completed");
        var fetched = a.command("a1", "FETCH 1:2 BODY[]"); // A's view still has message 2 unseen
        assertThat(fetched.getFirst()).startsWith("* 1 FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.getLast()).startsWith("a1 NO [LIMIT]");
        assertThat(b.command("b2", "NOOP")).containsExactly("* 1 FETCH (FLAGS (\\Seen))", "b2 OK NOOP completed");
        assertThat(b.command("b3", "FETCH 2 FLAGS")).containsExactly("* 2 FETCH (FLAGS (\\Seen))", "b3 OK FETCH completed");
    }

    @Test
    void aMessageTheStoreCouldNotReadIsLeftUnseen() throws Exception {
        failing.set(1);
        assertThat(a.command("a1", "FETCH 1 BODY[]")).singleElement().asString().startsWith("a1 NO [UNAVAILABLE]");
        assertThat(b.command("b1", "NOOP")).containsExactly("b1 OK NOOP completed");
        assertThat(a.command("a2", "FETCH 1 FLAGS")).containsExactly("* 1 FETCH (FLAGS ())", "a2 OK FETCH completed");
    }

    @Test
    void anotherSessionsFlagOnAMessageNotSentIsStillAnnounced() throws Exception {
        b.command("b1", "STORE 2 +FLAGS (\\Flagged)");
        assertThat(a.command("a1", "FETCH 1:2 BODY[]").getLast()).startsWith("a1 NO [LIMIT]");
        assertThat(a.command("a2", "NOOP")).containsExactly("* 2 FETCH (FLAGS (\\Flagged))", "a2 OK NOOP completed");
    }

    /** {@code store}, except that reading the message whose UID is {@link #failing} fails. */
    private MailboxStore failingContent(MailboxStore store) {
        return (MailboxStore) Proxy.newProxyInstance(MailboxStore.class.getClassLoader(), new Class<?>[]{MailboxStore.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("content") && args.length == 3 && args[2].equals(failing.get())) {
                        throw new IllegalStateException("the disk is gone");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
