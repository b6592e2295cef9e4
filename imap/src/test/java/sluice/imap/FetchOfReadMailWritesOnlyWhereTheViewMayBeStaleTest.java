package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.core.testing.MutableClock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A FETCH of BODY[] wrote \Seen on every message it sent, also where the session's current view had it:
 * a FETCH of mail already read went through the store's one writer (a lookup per message, nothing
 * written), and with the writer failing it ended NO [UNAVAILABLE] after the bodies were sent, with
 * nothing to write. Now it writes only the messages the view lacks \Seen on, unless the mailbox's change
 * signal moved since the view was read (or the read is a minute old): then the store may have lost a
 * \Seen the view has, and every message sent is written as before. Over a real socket, recording the
 * store's flag writes and failing them at will.
 */
class FetchOfReadMailWritesOnlyWhereTheViewMayBeStaleTest {

    @TempDir
    Path dir;
    /** The sessions' monotonic time, in nanoseconds. */
    private final AtomicLong nanos = new AtomicLong();
    /** The UIDs of each flag write asked of the store, failed or not. */
    private final List<List<Long>> flagWrites = new CopyOnWriteArrayList<>();
    /** While set, every flag write fails as a full disk would. */
    private volatile boolean failWrites;
    /** When set, the signal sessions watch instead of the store's: one no write raises, as for another node's writes. */
    private final AtomicReference<MailboxChanges> detached = new AtomicReference<>();
    private ImapFixture f;
    private Mailbox alice;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, Duration.ofMillis(100), new MutableClock(Instant.parse("2026-11-28T12:00:00Z")), nanos::get,
                this::recording);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: one\n\nfirst\n");
        f.deliver(alice, Folder.INBOX, "Subject: two\n\nsecond\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) c.close();
        f.close();
    }

    /** Logged in, INBOX selected, message 1 read, and the view read again after that write: current. */
    private void firstRead() throws Exception {
        c = f.loggedIn("alice@a.example");
        c.command("s", "SELECT INBOX");
        assertThat(c.command("a", "FETCH 1 BODY[]").getFirst()).endsWith(" FLAGS (\\Seen))");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        assertThat(flagWrites).containsExactly(List.of(1L));
    }

    @Test
    void aFetchOfReadMailInACurrentViewWritesNothingAndEndsOkWithTheWriterFailing() throws Exception {
        firstRead();
        failWrites = true;
        List<String> fetched = c.command("b", "FETCH 1 (BODY[] RFC822 BODY[TEXT])");
        assertThat(fetched).hasSize(2);
        assertThat(fetched.getFirst()).startsWith("* 1 FETCH (BODY[] {").doesNotContain("FLAGS");
        assertThat(fetched.getLast()).isEqualTo("b OK FETCH completed");
        assertThat(c.command("u", "UID FETCH 1 BODY[]").getLast()).isEqualTo("u OK UID FETCH completed");
        assertThat(flagWrites).hasSize(1);
        assertThat(seenInStore()).containsExactly(1L);
    }

    @Test
    void onlyTheMessagesTheViewLacksSeenOnAreWritten() throws Exception {
        firstRead();
        List<String> fetched = c.command("b", "FETCH 1:2 BODY[]");
        assertThat(fetched.get(0)).doesNotContain("FLAGS");
        assertThat(fetched.get(1)).startsWith("* 2 FETCH (BODY[] {").endsWith(" FLAGS (\\Seen))");
        assertThat(fetched.getLast()).isEqualTo("b OK FETCH completed");
        assertThat(flagWrites).containsExactly(List.of(1L), List.of(2L));
        assertThat(seenInStore()).containsExactly(1L, 2L);
    }

    /** RFC 9051 section 6.4.5, with a view that still has the \Seen another session took off: the signal moved. */
    @Test
    void aSeenAnotherSessionTookOffIsSetAgainByAFetchBeforeAnyNoop() throws Exception {
        firstRead();
        clearSeenElsewhere();
        List<String> fetched = c.command("b", "FETCH 1 (FLAGS BODY[])");
        assertThat(fetched.getFirst()).startsWith("* 1 FETCH (FLAGS (\\Seen) BODY[] {");
        assertThat(fetched.getLast()).isEqualTo("b OK FETCH completed");
        assertThat(seenInStore()).containsExactly(1L);
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
    }

    /** The signal moved, so the view is not trusted: a failed write is a NO, and the next sync tells the store's (). */
    @Test
    void withTheSignalMovedAFailedWriteIsStillANo() throws Exception {
        firstRead();
        clearSeenElsewhere();
        failWrites = true;
        assertThat(c.command("b", "FETCH 1 BODY[]").getLast()).startsWith("b NO [UNAVAILABLE]");
        assertThat(c.command("n", "NOOP")).containsExactly("* 1 FETCH (FLAGS ())", "n OK NOOP completed");
    }

    /**
     * A write the signal does not see (another node's) is trusted away for at most a minute, as IDLE's polls are:
     * a view read longer ago is not current, and a FETCH writes \Seen whatever it says.
     */
    @Test
    void aViewReadAMinuteAgoIsNotTrusted() throws Exception {
        detached.set(new MailboxChanges());
        firstRead();
        clearSeenElsewhere();
        nanos.addAndGet(SelectedFolder.REREAD.toNanos());
        assertThat(c.command("b", "FETCH 1 BODY[]").getLast()).isEqualTo("b OK FETCH completed");
        assertThat(seenInStore()).containsExactly(1L);
    }

    private void clearSeenElsewhere() throws Exception {
        try (ImapClient other = f.loggedIn("alice@a.example")) {
            other.command("s", "SELECT INBOX");
            assertThat(other.command("o", "STORE 1 -FLAGS (\\Seen)").getLast()).isEqualTo("o OK STORE completed");
        }
        assertThat(seenInStore()).isEmpty();
    }

    /** The UIDs of the INBOX messages with \Seen in the store. */
    private List<Long> seenInStore() {
        return f.store.mailboxFolders().folder(alice.id(), MailboxFolders.Key.of(Folder.INBOX)).messages().stream()
                .filter(e -> e.flags().contains(Flag.SEEN)).map(MailboxFolders.Entry::uid).toList();
    }

    @SuppressWarnings("unchecked")
    private MailboxFolders recording(MailboxFolders store) {
        return (MailboxFolders) Proxy.newProxyInstance(MailboxFolders.class.getClassLoader(), new Class<?>[]{MailboxFolders.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("changes") && detached.get() != null) return detached.get();
                    if (method.getName().equals("store")) {
                        flagWrites.add(new ArrayList<>((Collection<Long>) args[2]));
                        if (failWrites) throw new UncheckedIOException(new IOException("disk full"));
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
