package sluice.imap;

import sluice.core.mailbox.MailboxChanges;
import sluice.core.mailbox.MailboxFolders.Entry;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxFolders.Snapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The session's view of its selected folder: message sequence numbers are positions in this view,
 * which changes only when the session tells the client (EXISTS, EXPUNGE, FETCH FLAGS). Messages
 * removed by another session stay in the view, marked gone, until an EXPUNGE response is allowed
 * (RFC 9051 section 7.5.1: not while answering FETCH, STORE or SEARCH).
 *
 * <p>The view remembers the mailbox's change version ({@link MailboxChanges}) taken before it was last
 * read from the store, so that IDLE's polls and NOOP read the folder again only when it changed, or at
 * the latest {@link #REREAD} after the last read, measured on a monotonic clock: the signal knows only this node's writes.
 * The same test tells a FETCH that sets \Seen whether the view's \Seen can be trusted to be the store's.
 */
final class SelectedFolder {

    /** How long a view may go unread while the change signal says nothing changed. */
    static final Duration REREAD = Duration.ofMinutes(1);

    final Key key;
    final boolean readOnly;
    long uidValidity;
    long uidNext;
    private final List<Entry> view = new ArrayList<>();
    private final Set<Long> gone = new HashSet<>();
    private long version;
    private long readAt; // System.nanoTime() of the last read
    private boolean stale;

    SelectedFolder(Key key, boolean readOnly, Snapshot snapshot) {
        this.key = key;
        this.readOnly = readOnly;
        this.uidValidity = snapshot.uidValidity();
        this.uidNext = snapshot.uidNext();
        view.addAll(snapshot.messages());
    }

    /** Notes that the view was read from the store at {@code at} (monotonic nanos), {@code version} having been taken before the read. */
    void read(long version, long at) {
        this.version = version;
        this.readAt = at;
        this.stale = false;
    }

    /**
     * True when reading the store again could tell the client nothing: the mailbox's version is the
     * one taken before the last read, that read is less than {@link #REREAD} old, and no expunge seen
     * earlier waits to be told (when {@code expungeAllowed}).
     */
    boolean current(MailboxChanges.Watch changes, long now, boolean expungeAllowed) {
        return !stale && !changes.changedSince(version) && now - readAt < REREAD.toNanos() && !(expungeAllowed && !gone.isEmpty());
    }

    /** The view may differ from the store in a way no change signal tells (a write of ours that failed): read it next time. */
    void stale() {
        stale = true;
    }

    int size() {
        return view.size();
    }

    Entry at(int index) {
        return view.get(index);
    }

    long largestUid() {
        return view.isEmpty() ? 0 : view.getLast().uid();
    }

    boolean gone(long uid) {
        return gone.contains(uid);
    }

    /** Indexes (0-based) of the messages {@code set} names, as sequence numbers or as UIDs. */
    List<Integer> resolve(SequenceSet set, boolean byUid) {
        SequenceSet.Resolved wanted = set.resolve(byUid ? largestUid() : view.size());
        List<Integer> out = new ArrayList<>();
        if (byUid) {
            for (int i = 0; i < view.size(); i++) if (wanted.contains(view.get(i).uid())) out.add(i);
            return out;
        }
        for (int r = 0; r < wanted.lows().length; r++) { // ascending and apart: each message at most once, in order
            for (long n = Math.max(1, wanted.lows()[r]); n <= Math.min(wanted.highs()[r], view.size()); n++) out.add((int) n - 1);
        }
        return out;
    }

    /** Records the new flags, told to the client, of the message at {@code index}, which the session itself changed. */
    void flagsChanged(int index, Set<Flag> flags) {
        Entry e = view.get(index);
        view.set(index, new Entry(e.uid(), e.size(), e.receivedAt(), flags));
    }

    /** Removes the messages with these UIDs and returns the EXPUNGE responses, in the order they must be sent. */
    List<String> expunged(List<Long> uids) {
        Set<Long> removed = new HashSet<>(uids);
        List<String> out = new ArrayList<>();
        for (int i = view.size() - 1; i >= 0; i--) {
            if (removed.contains(view.get(i).uid())) {
                out.add("* " + (i + 1) + " EXPUNGE");
                gone.remove(view.get(i).uid());
                view.remove(i);
            }
        }
        return out;
    }

    /**
     * Brings the view up to {@code now}; returns the untagged responses that tell the client, their FETCH
     * responses {@code withUid} in a UID command's answer (RFC 9051 section 6.4.9).
     */
    List<String> sync(Snapshot now, boolean expungeAllowed, boolean withUid) {
        Map<Long, Entry> current = new HashMap<>();
        for (Entry e : now.messages()) current.put(e.uid(), e);
        List<String> out = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        for (Entry e : view) if (!current.containsKey(e.uid())) removed.add(e.uid());
        if (expungeAllowed) out.addAll(expunged(removed)); else gone.addAll(removed);
        for (int i = 0; i < view.size(); i++) {
            Entry mine = view.get(i);
            Entry theirs = current.get(mine.uid());
            if (theirs != null && !theirs.flags().equals(mine.flags())) {
                view.set(i, theirs);
                out.add(flagsResponse(i, theirs, withUid));
            }
        }
        long largest = largestUid();
        int before = view.size();
        for (Entry e : now.messages()) if (e.uid() > largest) view.add(e);
        if (view.size() != before) out.add("* " + view.size() + " EXISTS");
        uidNext = Math.max(uidNext, now.uidNext());
        return out;
    }

    /** An untagged FETCH of the flags of {@code e}, at index {@code i} of the view, with its UID when {@code withUid}. */
    static String flagsResponse(int i, Entry e, boolean withUid) {
        return "* " + (i + 1) + " FETCH (" + (withUid ? "UID " + e.uid() + " " : "") + "FLAGS " + flags(e.flags()) + ")";
    }

    static String flags(Set<Flag> flags) {
        StringBuilder b = new StringBuilder("(");
        for (Flag f : Flag.values()) {
            if (!flags.contains(f)) continue;
            if (b.length() > 1) b.append(' ');
            b.append(f.wire());
        }
        return b.append(')').toString();
    }

    /** The system flags we keep among {@code names}; keywords and \\Recent are not kept (PERMANENTFLAGS says so), so they are ignored, not refused. */
    static Set<Flag> flags(List<String> names) {
        Set<Flag> flags = EnumSet.noneOf(Flag.class);
        for (String n : names) {
            for (Flag f : Flag.values()) if (f.wire().equalsIgnoreCase(n)) flags.add(f);
        }
        return flags;
    }
}
