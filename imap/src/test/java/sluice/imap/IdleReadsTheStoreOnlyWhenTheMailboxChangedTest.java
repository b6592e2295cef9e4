package sluice.imap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxStore.Folder;
import sluice.core.org.Mailbox;
import sluice.core.testing.MutableClock;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session in IDLE looked for news by reading its folder from the store at every poll (every 2
 * seconds by default): a thousand idle clients cost some 500 queries a second doing nothing. Now a
 * poll looks at the mailbox's change signal and reads the store only when it moved, or when the
 * last read is a minute old (a write the signal missed, as another node's would be).
 */
class IdleReadsTheStoreOnlyWhenTheMailboxChangedTest {

    /** Polls ten times a second, so a second of IDLE is ten polls. */
    private static final Duration POLL = Duration.ofMillis(100);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    /** The sessions' monotonic time, in nanoseconds. */
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicInteger folderReads = new AtomicInteger();
    /** When set, the signal sessions watch instead of the store's: one no write ever raises. */
    private final AtomicReference<MailboxChanges> detached = new AtomicReference<>();
    private ImapFixture f;
    private Mailbox alice;
    private ImapClient c;

    @BeforeEach
    void start() throws Exception {
        f = new ImapFixture(dir, POLL, clock, nanos::get, this::counting);
        alice = f.mailbox("alice@a.example", ImapFixture.PASSWORD, 0);
        f.deliver(alice, Folder.INBOX, "Subject: first\n\none\n");
    }

    @AfterEach
    void stop() throws Exception {
        if (c != null) c.close();
        f.close();
    }

    private MailboxFolders counting(MailboxFolders store) {
        return (MailboxFolders) Proxy.newProxyInstance(MailboxFolders.class.getClassLoader(), new Class<?>[]{MailboxFolders.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("folder")) folderReads.incrementAndGet();
                    if (method.getName().equals("changes") && detached.get() != null) return detached.get();
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private void idle() throws Exception {
        c = f.loggedIn("alice@a.example");
        c.command("s", "SELECT INBOX");
        c.send("i IDLE\r\n");
        assertThat(c.line()).isEqualTo("+ idling");
    }

    @Test
    void aDeliveryIsAnnouncedDuringIdle() throws Exception {
        idle();
        f.deliver(alice, Folder.INBOX, "Subject: second\n\ntwo\n");
        assertThat(c.line()).isEqualTo("* 2 EXISTS");
        assertThat(c.send("DONE\r\n").until("i")).containsExactly("i OK IDLE terminated");
    }

    @Test
    void anIdleSessionWithNothingHappeningDoesNotReadTheStore() throws Exception {
        idle();
        int before = folderReads.get();
        Thread.sleep(10 * POLL.toMillis()); // ten polls
        assertThat(folderReads.get()).isEqualTo(before);
        assertThat(c.send("DONE\r\n").until("i")).containsExactly("i OK IDLE terminated");
        assertThat(c.command("n", "NOOP")).containsExactly("n OK NOOP completed");
        assertThat(folderReads.get()).isEqualTo(before); // nor does a NOOP with nothing to tell
    }

    @Test
    void aChangeTheSignalMissedIsSeenOnceTheLastReadIsAMinuteOld() throws Exception {
        detached.set(new MailboxChanges());
        idle();
        int before = folderReads.get();
        f.deliver(alice, Folder.INBOX, "Subject: from another node\n\ntwo\n");
        Thread.sleep(5 * POLL.toMillis()); // polls that trust the signal
        assertThat(folderReads.get()).isEqualTo(before);
        nanos.addAndGet(SelectedFolder.REREAD.toNanos());
        assertThat(c.line()).isEqualTo("* 2 EXISTS");
        assertThat(c.send("DONE\r\n").until("i")).containsExactly("i OK IDLE terminated");
    }

    /** The minute is measured on a monotonic clock: the wall clock stepped back an hour (an NTP correction) does not delay it. */
    @Test
    void aWallClockSteppedBackDoesNotDelayTheReread() throws Exception {
        detached.set(new MailboxChanges());
        idle();
        f.deliver(alice, Folder.INBOX, "Subject: from another node\n\ntwo\n");
        clock.advance(Duration.ofHours(-1));
        clock.advance(SelectedFolder.REREAD);
        nanos.addAndGet(SelectedFolder.REREAD.toNanos());
        assertThat(c.line()).isEqualTo("* 2 EXISTS");
        assertThat(c.send("DONE\r\n").until("i")).containsExactly("i OK IDLE terminated");
    }

    @Test
    void theSignalKeepsAVersionOnlyWhileASessionWatchesTheMailbox() throws Exception {
        MailboxChanges changes = f.store.mailboxFolders().changes();
        idle();
        assertThat(changes.watchedMailboxes()).isOne();
        c.close();
        c = null;
        for (int i = 0; i < 500 && f.server.sessionCount() > 0; i++) Thread.sleep(10);
        assertThat(changes.watchedMailboxes()).isZero();
    }
}
