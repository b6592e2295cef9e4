package sluice.core.mailbox;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An in-process signal that a hosted mailbox changed: a version per mailbox that the store raises
 * after every committed write to the mailbox (delivery, APPEND, COPY, MOVE, flag changes, EXPUNGE,
 * folder changes), so that a mail session waiting for news (IMAP IDLE) can look at a number instead
 * of reading the folder from the store every few seconds.
 *
 * <p>Only mailboxes someone {@link #watch watches} have a version: a bump of another is dropped, so
 * memory grows with open sessions, not with mailboxes. The version is raised after the commit, never
 * before, so a reader that takes the version and then reads the store sees every write up to that
 * version; a write it missed raises the version past the one it holds. The signal knows only this
 * process's writes: a store shared by several nodes would not raise it for another node's, so a
 * watcher still reads the store now and then whatever the version says.
 */
public final class MailboxChanges {

    /** The signal of a store that never raises it: its watches report every mailbox as changed. */
    public static final MailboxChanges UNTRACKED = new MailboxChanges(false);

    private final boolean tracked;
    private final ConcurrentHashMap<String, Counter> watched = new ConcurrentHashMap<>();

    public MailboxChanges() {
        this(true);
    }

    private MailboxChanges(boolean tracked) {
        this.tracked = tracked;
    }

    /** A watched mailbox's version and how many watches share it; both changed only under the map's lock for its key. */
    private static final class Counter {
        final AtomicLong version = new AtomicLong();
        int watches;
    }

    /** Raises the version of {@code mailboxId} when it is watched; call it after the write is committed. */
    public void changed(String mailboxId) {
        Counter c = watched.get(mailboxId);
        if (c != null) c.version.incrementAndGet();
    }

    /** Starts watching {@code mailboxId} until the watch is closed. */
    public Watch watch(String mailboxId) {
        if (!tracked) return new Watch(mailboxId, null);
        Counter counter = watched.compute(mailboxId, (id, c) -> {
            Counter now = c != null ? c : new Counter();
            now.watches++;
            return now;
        });
        return new Watch(mailboxId, counter);
    }

    /** How many mailboxes have a version now (as many as are watched). */
    public int watchedMailboxes() {
        return watched.size();
    }

    /** One watcher's view of one mailbox's version. */
    public final class Watch implements AutoCloseable {
        private final String mailboxId;
        private final Counter counter;
        private boolean closed;

        private Watch(String mailboxId, Counter counter) {
            this.mailboxId = mailboxId;
            this.counter = counter;
        }

        /** The version now: take it before reading the store, and hand it to {@link #changedSince} later. */
        public long version() {
            return counter == null ? 0 : counter.version.get();
        }

        /** True when the mailbox may have changed since {@code version} was taken; always true when the store does not signal. */
        public boolean changedSince(long version) {
            return counter == null || closed || counter.version.get() != version;
        }

        /** Stops watching; the mailbox's version is dropped with its last watch. Idempotent. */
        @Override
        public void close() {
            if (counter == null || closed) return;
            closed = true;
            watched.computeIfPresent(mailboxId, (id, c) -> --c.watches == 0 ? null : c);
        }
    }
}
