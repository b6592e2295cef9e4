package sluice.imap;

import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders.Key;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Keeps a session's selected folder in step with the store: opens it for SELECT and EXAMINE and tells
 * the client what changed (after commands, at NOOP and at IDLE's polls), reading the store only when the
 * logged-in mailbox's change signal moved or the last read grew old.
 */
final class FolderSync {

    private final ImapSession s;
    /** Monotonic time for how old the selected folder's last read is: a wall clock stepped back would delay the re-read. */
    private final LongSupplier nanos;
    /** The change signal of the logged-in mailbox, watched while the session lasts. */
    private MailboxChanges.Watch changes;

    FolderSync(ImapSession session, LongSupplier nanos) {
        this.s = session;
        this.nanos = nanos;
    }

    /** At login: from now on the mailbox's changes are watched. */
    void watch(MailboxChanges.Watch watch) {
        changes = watch;
    }

    /** At the end of the session: stops watching. */
    void close() {
        if (changes != null) changes.close();
    }

    /** Reads folder {@code f} from the store for SELECT or EXAMINE. */
    SelectedFolder open(Key f, boolean readOnly) {
        long version = changes.version(); // before the read: a write committed after it raises the version
        long at = nanos.getAsLong();
        SelectedFolder folder = new SelectedFolder(f, readOnly, s.snapshot(f));
        folder.read(version, at);
        return folder;
    }

    /**
     * Tells the client what changed in the selected folder since it last heard. The store is read only
     * when the mailbox's change signal moved since the last read, or that read is getting old (see
     * {@link SelectedFolder#current}): IDLE calls this at every poll, and a thousand idle sessions
     * must not cost hundreds of store queries a second.
     */
    void sync(boolean expungeAllowed) throws IOException {
        sync(expungeAllowed, false);
    }

    /** ... with the UID in each FETCH response {@code withUid}, as in a UID command's answer. */
    void sync(boolean expungeAllowed, boolean withUid) throws IOException {
        SelectedFolder selected = s.selected;
        long now = nanos.getAsLong();
        if (!selected.current(changes, now, expungeAllowed)) {
            long version = changes.version();
            List<String> lines = selected.sync(s.snapshot(selected.key), expungeAllowed, withUid);
            selected.read(version, now);
            for (String line : lines) s.write(line);
        }
        s.flush();
    }

    /**
     * True when the selected folder's view has the flags the store has, as far as the change signal tells:
     * no write to the mailbox (this session's own included) raised it since the view was read, that read is
     * less than {@link SelectedFolder#REREAD} old, and no write of this session failed since. The signal knows
     * every write of this process; a store several nodes share must signal theirs too (or be
     * {@link sluice.core.mailbox.MailboxChanges#UNTRACKED}), or a view is trusted up to {@link SelectedFolder#REREAD}.
     */
    boolean viewCurrent() {
        return s.selected.current(changes, nanos.getAsLong(), false);
    }

    /** Reads lines during IDLE, looking for changes between reads; returns the line that ended IDLE, or null at end of stream. */
    String idleLine() throws IOException {
        long deadline = System.nanoTime() + s.config.idleTimeout().toNanos();
        s.connection.soTimeout((int) s.config.idlePoll().toMillis());
        try {
            while (true) {
                try {
                    return s.connection.reader().readLine();
                } catch (SocketTimeoutException poll) {
                    if (System.nanoTime() > deadline) throw poll;
                    s.recheckLogin();
                    if (s.selected != null) sync(true);
                }
            }
        } finally {
            s.connection.soTimeout(s.timeoutMillis());
        }
    }
}
