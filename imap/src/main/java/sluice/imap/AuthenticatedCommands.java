package sluice.imap;

import sluice.core.mailbox.MailboxFolders.Entry;
import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.Snapshot;
import sluice.core.mailbox.MailboxStore.Folder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The commands of the authenticated state (RFC 9051 section 6.3) over the two folders a hosted
 * mailbox has: INBOX and Junk (special-use \Junk, RFC 6154). Folders cannot be created, deleted
 * or renamed, and APPEND is not offered: mail enters only through the mail flow.
 */
final class AuthenticatedCommands {

    static final String FLAGS = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

    private final ImapSession s;

    AuthenticatedCommands(ImapSession session) {
        this.s = session;
    }

    /** Runs {@code command} when it belongs to this state; false when it does not. */
    boolean execute(String tag, String command, Args a) throws IOException {
        switch (command) {
            case "SELECT", "EXAMINE" -> select(tag, command, a);
            case "LIST", "LSUB" -> list(tag, command, a);
            case "STATUS" -> status(tag, a);
            case "NAMESPACE" -> {
                a.end();
                s.send("* NAMESPACE ((\"\" \"/\")) NIL NIL");
                s.ok(tag, "NAMESPACE completed");
            }
            case "SUBSCRIBE", "UNSUBSCRIBE" -> {
                a.sp();
                String name = a.astring();
                a.end();
                if (ImapSession.folder(name) == null) s.send(tag + " NO [NONEXISTENT] No folder " + name);
                else s.ok(tag, command + " completed (INBOX and Junk are always subscribed)");
            }
            case "CREATE", "DELETE", "RENAME" ->
                    s.send(tag + " NO [CANNOT] A hosted mailbox has the folders INBOX and Junk; they cannot be created, deleted or renamed");
            case "APPEND" -> s.send(tag + " NO [CANNOT] APPEND is not supported: mail enters a hosted mailbox through the mail flow");
            case "IDLE" -> idle(tag, a);
            default -> {
                return false;
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
        Folder f = ImapSession.folder(name);
        if (f == null) {
            s.send(tag + " NO [NONEXISTENT] No folder " + name + "; a hosted mailbox has INBOX and Junk");
            return;
        }
        boolean readOnly = command.equals("EXAMINE");
        Snapshot snapshot = s.snapshot(f);
        SelectedFolder sel = new SelectedFolder(f, ImapSession.name(f), readOnly, snapshot);
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

    private void list(String tag, String command, Args a) throws IOException {
        a.sp();
        boolean specialUseOnly = false;
        if (a.peek() == '(') { // LIST-EXTENDED selection options (RFC 5258): SPECIAL-USE narrows, the rest change nothing here
            specialUseOnly = a.atomList().stream().anyMatch(o -> Args.upper(o).equals("SPECIAL-USE"));
            a.sp();
        }
        String reference = a.listMailbox();
        a.sp();
        List<String> patterns = new ArrayList<>();
        if (a.peek() == '(') {
            a.expect('(');
            while (!a.accept(')')) {
                if (a.atEnd()) throw new ImapSyntaxException("unterminated list of patterns");
                if (!patterns.isEmpty()) a.sp();
                patterns.add(a.listMailbox());
            }
        } else {
            patterns.add(a.listMailbox());
        }
        if (!a.atEnd()) { // RETURN (...): we always return the special-use attribute
            a.sp();
            if (!Args.upper(a.atom()).equals("RETURN")) throw new ImapSyntaxException("expected RETURN options");
            a.sp();
            a.atomList();
        }
        a.end();
        for (String pattern : patterns) {
            if (pattern.isEmpty()) {
                if (!specialUseOnly) s.write("* " + command + " (\\Noselect) \"/\" \"\"");
                continue;
            }
            Pattern exact = wildcard(reference + pattern, 0);
            Pattern anyCase = wildcard(reference + pattern, Pattern.CASE_INSENSITIVE);
            for (Folder f : Folder.values()) {
                String name = ImapSession.name(f);
                // INBOX is case-insensitive (RFC 9051 section 5.1); other names match as written
                if (!(f == Folder.INBOX ? anyCase : exact).matcher(name).matches()) continue;
                if (specialUseOnly && f != Folder.JUNK) continue;
                s.write("* " + command + " (\\HasNoChildren" + (f == Folder.JUNK ? " \\Junk" : "") + ") \"/\" " + name);
            }
        }
        s.ok(tag, command + " completed");
    }

    /** A LIST pattern as a regular expression: * matches anything, % anything but the delimiter. */
    private static Pattern wildcard(String pattern, int flags) {
        StringBuilder re = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '%' -> re.append("[^/]*");
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), flags);
    }

    private void status(String tag, Args a) throws IOException {
        a.sp();
        String name = a.astring();
        a.sp();
        List<String> items = a.atomList();
        a.end();
        Folder f = ImapSession.folder(name);
        if (f == null) {
            s.send(tag + " NO [NONEXISTENT] No folder " + name);
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
        s.send("* STATUS " + ImapSession.name(f) + " (" + String.join(" ", out) + ")");
        s.ok(tag, "STATUS completed");
    }

    private void idle(String tag, Args a) throws IOException {
        a.end();
        s.send("+ idling");
        String line = s.idleLine();
        if (line == null) throw new IOException("client went away during IDLE");
        if (line.equalsIgnoreCase("DONE")) s.ok(tag, "IDLE terminated");
        else s.send(tag + " BAD Expected DONE to end IDLE");
    }
}
