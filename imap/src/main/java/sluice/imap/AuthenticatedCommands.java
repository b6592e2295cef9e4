package sluice.imap;

import sluice.core.mailbox.MailboxFolders.Entry;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.Key;
import sluice.core.mailbox.MailboxFolders.Snapshot;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands of the authenticated state (RFC 9051 section 6.3): SELECT, EXAMINE, STATUS,
 * NAMESPACE and IDLE here; the folder commands in {@link FolderCommands}, APPEND in
 * {@link AppendCommand}.
 */
final class AuthenticatedCommands {

    static final String FLAGS = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

    private final ImapSession s;
    private final FolderCommands folders;
    private final AppendCommand append;

    AuthenticatedCommands(ImapSession session) {
        this.s = session;
        this.folders = new FolderCommands(session);
        this.append = new AppendCommand(session);
    }

    /** Runs {@code command} when it belongs to this state; false when it does not. */
    boolean execute(String tag, String command, Args a) throws IOException {
        switch (command) {
            case "SELECT", "EXAMINE" -> select(tag, command, a);
            case "STATUS" -> status(tag, a);
            case "NAMESPACE" -> {
                a.end();
                s.send("* NAMESPACE ((\"\" \"/\")) NIL NIL");
                s.ok(tag, "NAMESPACE completed");
            }
            case "APPEND" -> append.append(tag, a);
            case "IDLE" -> idle(tag, a);
            default -> {
                return folders.execute(tag, command, a);
            }
        }
        return true;
    }

    private void select(String tag, String command, Args a) throws IOException {
        a.sp();
        String name = a.astring();
        if (!a.atEnd()) { // select parameters such as (CONDSTORE): none is supported, all are ignored
            a.sp();
            a.atomList();
        }
        a.end();
        s.selected = null; // a failed SELECT leaves no folder selected (RFC 9051 section 6.3.2)
        Key f = s.key(name);
        if (f == null) {
            s.no(tag, "[NONEXISTENT] No folder " + name);
            return;
        }
        boolean readOnly = command.equals("EXAMINE");
        SelectedFolder sel = s.folderSync.open(f, readOnly);
        s.write("* FLAGS " + FLAGS);
        s.write("* " + sel.size() + " EXISTS");
        s.write("* 0 RECENT");
        for (int i = 0; i < sel.size(); i++) {
            if (!sel.at(i).flags().contains(Flag.SEEN)) {
                s.write("* OK [UNSEEN " + (i + 1) + "] First unseen message");
                break;
            }
        }
        s.write("* OK [UIDVALIDITY " + sel.uidValidity + "] UIDs valid");
        s.write("* OK [UIDNEXT " + sel.uidNext + "] Predicted next UID");
        s.write("* OK [PERMANENTFLAGS " + (readOnly ? "()" : FLAGS) + "] Flags the client can change");
        s.selected = sel;
        s.ok(tag, (readOnly ? "[READ-ONLY] " : "[READ-WRITE] ") + command + " completed");
    }

    private void status(String tag, Args a) throws IOException {
        a.sp();
        String name = a.astring();
        a.sp();
        List<String> items = a.atomList();
        a.end();
        Key f = s.key(name);
        if (f == null) {
            s.no(tag, "[NONEXISTENT] No folder " + name);
            return;
        }
        Snapshot snap = s.snapshot(f);
        List<String> out = new ArrayList<>();
        for (String item : items) {
            String i = Args.upper(item);
            out.add(i + " " + switch (i) {
                case "MESSAGES" -> snap.messages().size();
                case "RECENT" -> 0;
                case "UIDNEXT" -> snap.uidNext();
                case "UIDVALIDITY" -> snap.uidValidity();
                case "UNSEEN" -> snap.messages().stream().filter(e -> !e.flags().contains(Flag.SEEN)).count();
                case "SIZE" -> snap.messages().stream().mapToLong(Entry::size).sum();
                default -> throw new ImapSyntaxException("unknown STATUS item " + item);
            });
        }
        s.send("* STATUS " + FolderName.quote(FolderName.normalize(name)) + " (" + String.join(" ", out) + ")");
        s.ok(tag, "STATUS completed");
    }

    private void idle(String tag, Args a) throws IOException {
        a.end();
        s.send("+ idling");
        String line = s.folderSync.idleLine();
        if (line == null) throw new IOException("client went away during IDLE");
        if (line.equalsIgnoreCase("DONE")) s.ok(tag, "IDLE terminated");
        else s.bad(tag, "Expected DONE to end IDLE");
    }
}
