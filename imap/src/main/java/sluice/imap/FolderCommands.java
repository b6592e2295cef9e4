package sluice.imap;

import sluice.core.mailbox.MailboxFolders.Refused;
import sluice.core.mailbox.MailboxFolders.UserFolder;
import sluice.core.mailbox.MailboxStore.Folder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The commands on folders themselves (RFC 3501 sections 6.3.3 to 6.3.9): CREATE, DELETE, RENAME,
 * SUBSCRIBE, UNSUBSCRIBE, LIST and LSUB. INBOX and the special-use folders (RFC 6154) always exist,
 * are always subscribed and cannot be deleted or renamed; folders below them can. CREATE makes the
 * missing levels above a name too (section 6.3.3 says it SHOULD), each a selectable folder. DELETE of
 * a folder with children removes its messages and leaves the name \Noselect (section 6.3.4).
 */
final class FolderCommands {

    private static final String DELIMITER = "\"/\"";

    private final ImapSession s;

    FolderCommands(ImapSession session) {
        this.s = session;
    }

    /** Runs {@code command} when it is one of these; false when it is not. */
    boolean execute(String tag, String command, Args a) throws IOException {
        switch (command) {
            case "CREATE" -> create(tag, a);
            case "DELETE" -> delete(tag, a);
            case "RENAME" -> rename(tag, a);
            case "SUBSCRIBE", "UNSUBSCRIBE" -> subscribe(tag, command, a);
            case "LIST", "LSUB" -> list(tag, command, a);
            default -> {
                return false;
            }
        }
        return true;
    }

    private ImapServerConfig.FolderLimits limits() {
        return s.config.folderLimits();
    }

    /** A name argument, with a special first level written as we list it. */
    private static String name(Args a) {
        return FolderName.normalize(a.astring());
    }

    private void create(String tag, Args a) throws IOException {
        a.sp();
        String name = name(a);
        a.end();
        // "CREATE foo/" announces that foo will have children (section 6.3.3): it creates foo.
        if (name.length() > 1 && name.endsWith("/")) name = name.substring(0, name.length() - 1);
        if (FolderName.special(name) != null) {
            s.no(tag, "[ALREADYEXISTS] " + name + " always exists");
            return;
        }
        if (refused(tag, name)) return;
        try {
            s.mail.folders().create(s.mailbox.id(), name, FolderName.parents(name), limits().maxFolders());
            s.ok(tag, "CREATE completed");
        } catch (Refused e) {
            s.no(tag, refusal(e));
        }
    }

    /** Sends NO when {@code name} may not be created; returns whether it did. */
    private boolean refused(String tag, String name) throws IOException {
        String why = FolderName.refusal(name, limits());
        if (why == null) return false;
        s.no(tag, (why.startsWith("[") ? why : "[CANNOT] " + why));
        return true;
    }

    static String refusal(Refused e) {
        String code = switch (e.reason()) {
            case ALREADY_EXISTS -> "[ALREADYEXISTS] ";
            case NONEXISTENT -> "[NONEXISTENT] ";
            case HAS_CHILDREN -> "[CANNOT] ";
            case LIMIT -> "[LIMIT] ";
        };
        String message = e.getMessage();
        return code + Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }

    private void delete(String tag, Args a) throws IOException {
        a.sp();
        String name = name(a);
        a.end();
        if (FolderName.special(name) != null) {
            s.no(tag, "[CANNOT] INBOX and the special-use folders cannot be deleted");
            return;
        }
        var key = s.key(name);
        try {
            s.mail.folders().delete(s.mailbox.id(), name);
        } catch (Refused e) {
            s.no(tag, refusal(e));
            return;
        }
        if (s.selected != null && s.selected.key.equals(key)) s.selected = null; // nothing left to show
        s.ok(tag, "DELETE completed");
    }

    private void rename(String tag, Args a) throws IOException {
        a.sp();
        String from = name(a);
        a.sp();
        String to = name(a);
        a.end();
        if (FolderName.special(from) != null) {
            s.no(tag, "[CANNOT] INBOX and the special-use folders cannot be renamed"
                    + (from.equals("INBOX") ? "; move the messages instead" : ""));
            return;
        }
        if (FolderName.special(to) != null) {
            s.no(tag, "[ALREADYEXISTS] " + to + " always exists");
            return;
        }
        if (to.equals(from) || FolderName.below(to, from)) {
            s.no(tag, "[CANNOT] A folder cannot be renamed into itself");
            return;
        }
        if (refused(tag, to)) return;
        // The folders below move too: their new names must be within the limits as well.
        for (UserFolder f : s.mail.folders().userFolders(s.mailbox.id())) {
            if (FolderName.below(f.name(), from) && refused(tag, to + f.name().substring(from.length()))) return;
        }
        try {
            s.mail.folders().rename(s.mailbox.id(), from, to, FolderName.parents(to), limits().maxFolders());
            s.ok(tag, "RENAME completed");
        } catch (Refused e) {
            s.no(tag, refusal(e));
        }
    }

    private void subscribe(String tag, String command, Args a) throws IOException {
        a.sp();
        String name = name(a);
        a.end();
        boolean on = command.equals("SUBSCRIBE");
        if (FolderName.special(name) != null) {
            s.ok(tag, command + " completed (INBOX and the special-use folders are always subscribed)");
            return;
        }
        // SUBSCRIBE may check that the folder exists (section 6.3.6); UNSUBSCRIBE takes any name, so stale ones can go.
        if (on && s.key(name) == null) {
            s.no(tag, "[NONEXISTENT] No folder " + name);
            return;
        }
        try {
            s.mail.folders().subscribe(s.mailbox.id(), name, on, limits().maxFolders());
            s.ok(tag, command + " completed");
        } catch (Refused e) {
            s.no(tag, refusal(e));
        }
    }

    /** A folder as LIST shows it: the name, whether it can be selected, and its special use if any. */
    private record Listed(String name, boolean selectable, Folder special) {
    }

    private List<Listed> all() {
        List<Listed> all = new ArrayList<>();
        for (Folder f : Folder.values()) all.add(new Listed(f.displayName(), true, f));
        for (UserFolder f : s.mail.folders().userFolders(s.mailbox.id())) all.add(new Listed(f.name(), f.selectable(), null));
        return all;
    }

    /** The special-use attribute of RFC 6154, or null for INBOX. */
    static String specialUse(Folder f) {
        return switch (f) {
            case INBOX -> null;
            case JUNK -> "\\Junk";
            case SENT -> "\\Sent";
            case DRAFTS -> "\\Drafts";
            case TRASH -> "\\Trash";
            case ARCHIVE -> "\\Archive";
        };
    }

    private static String attributes(Listed l, List<Listed> all) {
        List<String> attrs = new ArrayList<>();
        if (!l.selectable()) attrs.add("\\Noselect");
        attrs.add(all.stream().anyMatch(o -> FolderName.below(o.name(), l.name())) ? "\\HasChildren" : "\\HasNoChildren");
        if (l.special() != null && specialUse(l.special()) != null) attrs.add(specialUse(l.special()));
        return "(" + String.join(" ", attrs) + ")";
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
                if (patterns.size() > ListPattern.MAX_PATTERNS)
                    throw new ImapSyntaxException("at most " + ListPattern.MAX_PATTERNS + " patterns in one command");
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
        // Matching costs the name's length times the pattern's, for every folder and pattern: a pattern is
        // kept to what could name a folder (the name limit), with room for a wildcard between levels.
        int longest = 2 * limits().maxNameOctets();
        for (String pattern : patterns) {
            if (reference.length() + pattern.length() > longest)
                throw new ImapLimitException("a LIST reference and pattern may have at most " + longest + " characters together");
        }
        List<Listed> all = all();
        List<Listed> shown = command.equals("LSUB") ? subscribed(all) : all;
        for (String pattern : patterns) {
            if (pattern.isEmpty()) {
                if (!specialUseOnly) s.write("* " + command + " (\\Noselect) " + DELIMITER + " \"\"");
                continue;
            }
            ListPattern matcher;
            try {
                matcher = ListPattern.of(FolderName.normalize(reference + pattern), '/');
            } catch (IllegalArgumentException e) {
                throw new ImapSyntaxException("LIST pattern too long");
            }
            for (Listed l : shown) {
                // INBOX is case-insensitive (RFC 3501 section 5.1); other names match as written
                if (!matcher.matches(l.name(), l.special() == Folder.INBOX)) continue;
                if (specialUseOnly && (l.special() == null || specialUse(l.special()) == null)) continue;
                s.write("* " + command + " " + attributes(l, all) + " " + DELIMITER + " " + FolderName.quote(l.name()));
            }
            if (command.equals("LSUB") && pattern.indexOf('%') >= 0 && !specialUseOnly) unsubscribedParents(shown, matcher);
        }
        s.ok(tag, command + " completed");
    }

    /**
     * RFC 3501 section 6.3.9: when % stops above a subscribed name whose parent is not subscribed,
     * LSUB names that parent as \Noselect, so the client can still walk down to the subscription.
     */
    private void unsubscribedParents(List<Listed> subscribed, ListPattern pattern) throws IOException {
        Set<String> names = new HashSet<>();
        for (Listed l : subscribed) names.add(l.name());
        Set<String> parents = new TreeSet<>();
        for (String name : names) {
            for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                String parent = name.substring(0, i);
                if (!names.contains(parent) && pattern.matches(parent, false)) parents.add(parent);
            }
        }
        for (String parent : parents) s.write("* LSUB (\\Noselect) " + DELIMITER + " " + FolderName.quote(parent));
    }

    /** The special folders (always subscribed), then the subscribed names; a name that is no folder is \Noselect. */
    private List<Listed> subscribed(List<Listed> all) {
        List<Listed> out = new ArrayList<>(all.stream().filter(l -> l.special() != null).toList());
        for (String name : s.mail.folders().subscriptions(s.mailbox.id())) {
            Listed folder = all.stream().filter(l -> l.name().equals(name)).findFirst().orElse(null);
            out.add(folder != null ? folder : new Listed(name, false, null));
        }
        return out;
    }
}
