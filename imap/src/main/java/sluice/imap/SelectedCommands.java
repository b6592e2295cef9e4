package sluice.imap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mailbox.MailboxFolders.Entry;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.FlagChange;
import sluice.core.mailbox.MailboxFolders.Key;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The commands of the selected state (RFC 9051 section 6.4), with and without UID. Sequence-number
 * commands never see an EXPUNGE response in their answer (section 7.5.1); UID commands may, and every
 * FETCH response in a UID command's answer carries the UID, also one telling another session's change
 * (section 6.4.9).
 */
final class SelectedCommands {

    private static final Logger LOG = LoggerFactory.getLogger(SelectedCommands.class);

    private static final DateTimeFormatter INTERNALDATE =
            DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    /** The most distinct items one FETCH may ask for; real clients ask for a dozen or so. */
    static final int MAX_FETCH_ITEMS = 100;

    private final ImapSession s;

    SelectedCommands(ImapSession session) {
        this.s = session;
    }

    boolean execute(String tag, String command, Args a) throws IOException {
        if (!List.of("FETCH", "STORE", "SEARCH", "COPY", "MOVE", "EXPUNGE", "CLOSE", "UNSELECT", "UID").contains(command)) return false;
        if (s.selected == null) {
            s.bad(tag, "Select a folder first");
            return true;
        }
        boolean uid = command.equals("UID");
        if (uid) {
            a.sp();
            command = Args.upper(a.atom());
        }
        switch (command) {
            case "FETCH" -> fetch(tag, a, uid);
            case "STORE" -> store(tag, a, uid);
            case "SEARCH" -> search(tag, a, uid);
            case "COPY", "MOVE" -> copy(tag, a, uid, command.equals("MOVE"));
            case "EXPUNGE" -> expunge(tag, a, uid);
            case "CLOSE", "UNSELECT" -> {
                if (uid) throw new ImapSyntaxException("UID " + command + " does not exist");
                a.end();
                if (command.equals("CLOSE") && !s.selected.readOnly) s.mail.folders().expunge(s.mailbox.id(), s.selected.key, null);
                s.selected = null;
                s.ok(tag, command + " completed");
            }
            default -> throw new ImapSyntaxException("UID " + command + " does not exist");
        }
        return true;
    }

    private List<Integer> messages(Args a, boolean uid) {
        a.sp();
        return s.selected.resolve(SequenceSet.parse(a.token()), uid);
    }

    private void fetch(String tag, Args a, boolean uid) throws IOException {
        List<Integer> indexes = messages(a, uid);
        a.sp();
        // The same item twice is answered once: BODY[] a thousand times must not cost a thousand copies.
        List<FetchItem> asked = FetchItem.parseList(a);
        a.end();
        Map<String, FetchItem> distinct = new LinkedHashMap<>();
        for (FetchItem item : asked) distinct.putIfAbsent(item.key(), item);
        if (distinct.size() > MAX_FETCH_ITEMS) throw new ImapLimitException("at most " + MAX_FETCH_ITEMS + " fetch items in one FETCH");
        List<FetchItem> items = new ArrayList<>(distinct.values());
        if (uid && items.stream().noneMatch(i -> i.name().equals("UID"))) items.addFirst(FetchItem.simple("UID"));
        // Decided on every item asked for: BODY[] after BODY.PEEK[] is answered by the first, yet must set \Seen (RFC 9051 section 6.4.5).
        boolean seen = !s.selected.readOnly && asked.stream().anyMatch(FetchItem::setsSeen);
        boolean content = items.stream().anyMatch(FetchItem::needsContent);
        List<Integer> sent = new ArrayList<>();
        try {
            for (int i : indexes) {
                Entry e = s.selected.at(i);
                // The whole message is held while its response is written: it takes its octets from the node's budget.
                if (content && !s.buffers.takeStored(e.size())) throw noRoom(e.size()); // after the responses written so far: the client keeps what it got
                try {
                    // Only the view's lack of \Seen is told; which messages sent the write names is decided in markSeen.
                    if (respond(i, e, items, content, seen && !e.flags().contains(Flag.SEEN)) && seen) sent.add(i);
                } finally {
                    s.buffers.release();
                }
            }
        } catch (IOException | RuntimeException stopped) {
            // Also before a NO [LIMIT] or an error: for the messages sent so far. The failure in flight is the one the
            // client hears of (a NO [LIMIT] stays one); a failed \Seen write only goes with it.
            try {
                markSeen(sent, uid);
            } catch (IOException | RuntimeException failed) {
                stopped.addSuppressed(failed);
                LOG.warn("imap FETCH could not set \\Seen after it stopped: {}", failed.toString());
            }
            throw stopped;
        }
        markSeen(sent, uid);
        s.flush();
        if (uid) s.folderSync.sync(true, true);
        s.ok(tag, (uid ? "UID " : "") + "FETCH completed");
    }

    /**
     * NO [LIMIT] for a stored message that would not fit in the node's buffer budget now: the same budget
     * and the same answer as an APPEND's message without room, not a wait (the client retries). A message
     * that could not fit even in an idle node is said to be too large, so that the client stops retrying.
     */
    private ImapLimitException noRoom(long octets) {
        if (s.buffers.neverFits(octets)) {
            return new ImapLimitException("The message of " + octets + " octets is larger than this server can hold for one client");
        }
        return new ImapLimitException("No room now to read a message of " + octets
                + " octets: too many messages are being read or received at once; try again later");
    }

    /**
     * Sets \Seen, in one store write, on those of the messages at {@code sent}, whose responses were sent,
     * that the store may lack it on, and records in the view the flags those responses carried; another
     * session's change to them meanwhile is then still announced by the next sync. While the view is current
     * ({@link FolderSync#viewCurrent}) the store has \Seen where the view has it, so only the messages the
     * view has without it are written, and none when it has it on all: a FETCH of mail already read asks
     * nothing of the store's one writer. Otherwise the view may have a \Seen the store lost (another session
     * took it off, unheard of yet), so every message sent goes in the write, which changes no row that has it.
     *
     * <p>Should the write fail, the client, told \Seen where the view lacked it, is told at once, before the
     * tagged NO, the flags those messages still have (an untagged FETCH may come with any command, RFC 9051
     * section 7.5.2), and the view keeps them: the same FETCH again sets \Seen again, and a later STORE
     * .SILENT has nothing the client was not told to absorb. The view is read again at the next sync.
     */
    private void markSeen(List<Integer> sent, boolean uid) throws IOException {
        List<Integer> indexes = s.folderSync.viewCurrent()
                ? sent.stream().filter(i -> !s.selected.at(i).flags().contains(Flag.SEEN)).toList() : sent;
        if (indexes.isEmpty()) return;
        List<Long> uids = indexes.stream().map(i -> s.selected.at(i).uid()).toList();
        try {
            s.mail.folders().store(s.mailbox.id(), s.selected.key, uids, FlagChange.ADD, Set.of(Flag.SEEN));
        } catch (RuntimeException e) {
            s.selected.stale(); // the write may have been done before it failed: the next sync reads the store and tells
            try {
                for (int i : indexes) if (!s.selected.at(i).flags().contains(Flag.SEEN)) s.write(flagsResponse(i, uid));
            } catch (IOException clientGone) {
                clientGone.addSuppressed(e);
                throw clientGone;
            }
            throw e;
        }
        for (int i : indexes) s.selected.flagsChanged(i, seen(s.selected.at(i).flags()));
    }

    /** An untagged FETCH of the flags the view has for the message at {@code i}, with its UID in a UID command's answer. */
    private String flagsResponse(int i, boolean uid) {
        return SelectedFolder.flagsResponse(i, s.selected.at(i), uid);
    }

    private static Set<Flag> seen(Set<Flag> flags) {
        Set<Flag> out = EnumSet.of(Flag.SEEN);
        out.addAll(flags);
        return out;
    }

    /**
     * Writes the FETCH response of the message at {@code i}, unless another session expunged it meanwhile;
     * true when written. With {@code markSeen}, the response carries the flags with \Seen, which the
     * command sets once its responses are written, in one store write for all (RFC 9051 section 6.4.5; it
     * is set before the tagged response): only messages sent are marked, so a FETCH stopped part way has
     * nothing to undo.
     */
    private boolean respond(int i, Entry e, List<FetchItem> items, boolean content, boolean markSeen) throws IOException {
        StoredMessage message = null;
        if (content) {
            byte[] raw;
            try {
                raw = s.mail.store().content(s.mailbox.id(), s.selected.key, e.uid());
            } catch (NoSuchElementException expungedElsewhere) {
                return false; // RFC 2180 section 4.1.3: the client hears of the expunge at the next chance
            }
            message = new StoredMessage(() -> raw);
        }
        if (markSeen) {
            e = new Entry(e.uid(), e.size(), e.receivedAt(), seen(e.flags()));
            if (items.stream().noneMatch(item -> item.name().equals("FLAGS"))) {
                items = new ArrayList<>(items);
                items.add(FetchItem.simple("FLAGS"));
            }
        }
        // Literal data goes straight to the socket: only one item's octets are ever held at a time.
        ResponseBuilder r = new ResponseBuilder(s.output()).text("* " + (i + 1) + " FETCH (");
        try {
            boolean first = true;
            for (FetchItem item : items) {
                if (!first) r.text(" ");
                first = false;
                render(item, e, message, r);
            }
            // Within the try: this text too may be what reaches the socket, and a client gone is no store failure.
            r.text(")\r\n");
        } catch (UncheckedIOException clientGone) {
            throw clientGone.getCause();
        }
        r.flush();
        return true;
    }

    /** Writes one item; {@code message} is parsed only as far as the item needs (see {@link StoredMessage}). */
    private static void render(FetchItem item, Entry e, StoredMessage message, ResponseBuilder r) {
        r.text(item.responseName() + " ");
        switch (item.name()) {
            case "FLAGS" -> r.text(SelectedFolder.flags(e.flags()));
            case "UID" -> r.text(String.valueOf(e.uid()));
            case "INTERNALDATE" -> r.text("\"" + INTERNALDATE.format(e.receivedAt()) + "\"");
            case "RFC822.SIZE" -> r.text(String.valueOf(e.size()));
            case "RFC822" -> r.literal(message.raw());
            case "RFC822.HEADER" -> r.literal(message.raw(), message.header().headerStart(), message.header().bodyStart());
            case "RFC822.TEXT" -> r.literal(message.raw(), message.header().bodyStart(), message.header().end());
            case "ENVELOPE" -> Structure.envelope(message.header(), r);
            case "BODY" -> Structure.body(message.tree(), false, r);
            case "BODYSTRUCTURE" -> Structure.body(message.tree(), true, r);
            default -> {
                byte[] section = item.section(message);
                if (section == null) r.text("NIL");
                else r.literal(section);
            }
        }
    }

    private void store(String tag, Args a, boolean uid) throws IOException {
        List<Integer> indexes = messages(a, uid);
        a.sp();
        String item = Args.upper(a.atom());
        boolean silent = item.endsWith(".SILENT");
        FlagChange change = switch (silent ? item.substring(0, item.length() - 7) : item) {
            case "FLAGS" -> FlagChange.REPLACE;
            case "+FLAGS" -> FlagChange.ADD;
            case "-FLAGS" -> FlagChange.REMOVE;
            default -> throw new ImapSyntaxException("STORE takes FLAGS, +FLAGS or -FLAGS, optionally .SILENT");
        };
        a.sp();
        List<String> names = new ArrayList<>();
        if (a.peek() == '(') {
            names.addAll(a.atomList());
        } else {
            names.add(a.flagOrAtom());
            while (!a.atEnd()) {
                a.sp();
                names.add(a.flagOrAtom());
            }
        }
        a.end();
        if (s.selected.readOnly) {
            s.no(tag, "[READ-ONLY] The folder was opened with EXAMINE");
            return;
        }
        Set<Flag> flags = SelectedFolder.flags(names);
        List<Long> uids = indexes.stream().map(i -> s.selected.at(i).uid()).toList();
        Map<Long, Set<Flag>> changed = s.mail.folders().store(s.mailbox.id(), s.selected.key, uids, change, flags);
        for (int i : indexes) {
            Set<Flag> now = changed.get(s.selected.at(i).uid());
            if (now == null) continue; // expunged elsewhere: told at the next chance
            // .SILENT spares the client only the change it asked for: flags that differ from what it was last told
            // plus that change (another session's, unheard of yet) are told all the same (RFC 9051 section 6.4.6).
            boolean tell = !silent || !now.equals(changed(s.selected.at(i).flags(), change, flags));
            s.selected.flagsChanged(i, now);
            if (tell) s.write(flagsResponse(i, uid));
        }
        if (uid) s.folderSync.sync(true, true);
        s.ok(tag, (uid ? "UID " : "") + "STORE completed");
    }

    /** The flags {@code told} become by the STORE {@code change} of {@code flags}. */
    private static Set<Flag> changed(Set<Flag> told, FlagChange change, Set<Flag> flags) {
        Set<Flag> out = EnumSet.noneOf(Flag.class);
        if (change != FlagChange.REPLACE) out.addAll(told);
        if (change == FlagChange.REMOVE) out.removeAll(flags);
        else out.addAll(flags);
        return out;
    }

    private void search(String tag, Args a, boolean uid) throws IOException {
        a.sp();
        int start = a.position();
        if (a.peek() != '(' && Args.upper(a.token()).equals("CHARSET")) {
            a.sp();
            String charset = Args.upper(a.astring());
            if (!charset.equals("UTF-8") && !charset.equals("US-ASCII")) {
                s.no(tag, "[BADCHARSET (UTF-8 US-ASCII)] Unsupported charset " + charset);
                return;
            }
            a.sp();
        } else {
            a.position(start);
        }
        SelectedFolder sel = s.selected;
        SearchKey program = SearchProgram.parse(a, sel.size(), sel.largestUid());
        StringBuilder hits = new StringBuilder("* SEARCH");
        for (int i = 0; i < sel.size(); i++) {
            Entry e = sel.at(i);
            if (sel.gone(e.uid())) continue;
            // Read and parsed at most once, however many keys test the message; held within the budget as FETCH's,
            // its octets alone: text keys decode it a bounded chunk at a time (see StoredMessage#textContains).
            var candidate = new SearchKey.Candidate(i + 1, e.uid(), new SearchKey.Entry(e.flags(), e.size(), e.receivedAt()),
                    new StoredMessage(() -> {
                        if (!s.buffers.takeStored(e.size())) throw noRoom(e.size());
                        return content(e.uid());
                    }));
            try {
                if (program.matches(candidate)) hits.append(' ').append(uid ? e.uid() : i + 1);
            } finally {
                s.buffers.release();
            }
        }
        s.write(hits.toString());
        if (uid) s.folderSync.sync(true, true);
        s.ok(tag, (uid ? "UID " : "") + "SEARCH completed");
    }

    /** The message's octets; none when another session expunged it meanwhile, so that it matches no text. */
    private byte[] content(long uid) {
        try {
            return s.mail.store().content(s.mailbox.id(), s.selected.key, uid);
        } catch (NoSuchElementException gone) {
            return new byte[0];
        }
    }

    private void copy(String tag, Args a, boolean uid, boolean move) throws IOException {
        List<Integer> indexes = messages(a, uid);
        a.sp();
        String name = a.astring();
        a.end();
        Key target = s.key(name);
        if (target == null) {
            s.no(tag, "[TRYCREATE] No folder " + name);
            return;
        }
        if (move && s.selected.readOnly) {
            s.no(tag, "[READ-ONLY] The folder was opened with EXAMINE");
            return;
        }
        List<Long> uids = indexes.stream().map(i -> s.selected.at(i).uid()).toList();
        String verb = (uid ? "UID " : "") + (move ? "MOVE" : "COPY");
        Map<Long, Long> done = s.adding(tag, name, () -> move ? s.mail.folders().move(s.mailbox.id(), s.selected.key, uids, target)
                : s.mail.folders().copy(s.mailbox.id(), s.selected.key, uids, target, s.quota()));
        if (done == null) return;
        String copyUid = done.isEmpty() ? "" : "[COPYUID " + s.mail.folders().uidValidity(s.mailbox.id(), target) + " "
                + SequenceSet.format(done.keySet()) + " " + SequenceSet.format(done.values()) + "] ";
        if (move) {
            // RFC 6851 section 4.3: COPYUID comes in an untagged OK before the expunges it explains.
            if (!copyUid.isEmpty()) s.write("* OK " + copyUid + "Moved");
            for (String line : s.selected.expunged(List.copyOf(done.keySet()))) s.write(line);
        }
        s.folderSync.sync(uid || move, uid);
        s.ok(tag, (move ? "" : copyUid) + verb + " completed");
    }

    private void expunge(String tag, Args a, boolean uid) throws IOException {
        List<Long> only = null;
        if (uid) only = messages(a, true).stream().map(i -> s.selected.at(i).uid()).toList();
        a.end();
        if (s.selected.readOnly) {
            s.no(tag, "[READ-ONLY] The folder was opened with EXAMINE");
            return;
        }
        List<Long> removed = s.mail.folders().expunge(s.mailbox.id(), s.selected.key, only);
        for (String line : s.selected.expunged(removed)) s.write(line);
        s.folderSync.sync(true, uid);
        s.ok(tag, (uid ? "UID " : "") + "EXPUNGE completed");
    }
}
