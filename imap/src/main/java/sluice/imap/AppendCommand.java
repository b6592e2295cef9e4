package sluice.imap;

import sluice.core.mailbox.MailboxFolders.Flag;
import sluice.core.mailbox.MailboxFolders.Key;

import java.io.IOException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * APPEND (RFC 3501 section 6.3.11): the client stores a message of its own, a sent copy or a draft.
 * It is stored as sent, without the mail flow's header firewall or filters, since it is the user's
 * own copy; it counts against the mailbox's quota exactly as a delivery does (NO [OVERQUOTA], RFC
 * 5530), and it may be no larger than the node's message size limit (the reader refuses a larger
 * synchronizing literal before it is sent). Success names the new UID (APPENDUID, RFC 4315).
 */
final class AppendCommand {

    /** date-time of RFC 3501 section 9, day space-padded or not. */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);

    private final ImapSession s;

    AppendCommand(ImapSession session) {
        this.s = session;
    }

    void append(String tag, Args a) throws IOException {
        a.sp();
        String name = FolderName.normalize(a.astring());
        a.sp();
        Set<Flag> flags = Set.of();
        if (a.peek() == '(') {
            flags = SelectedFolder.flags(a.atomList());
            a.sp();
        }
        Instant internalDate = s.mail.clock().instant();
        if (a.peek() == '"') {
            internalDate = dateTime(a.string());
            a.sp();
        }
        byte[] message = a.literal();
        a.end();
        store(tag, name, message, flags, internalDate);
    }

    private void store(String tag, String name, byte[] message, Set<Flag> flags, Instant internalDate) throws IOException {
        Key target = s.key(name);
        if (target == null) {
            s.no(tag, "[TRYCREATE] No folder " + name);
            return;
        }
        if (message.length > s.config.maxMessageSize()) { // the reader refuses larger literals; this is the last guard
            s.no(tag, "[TOOBIG] The message is larger than the limit of " + s.config.maxMessageSize() + " octets");
            return;
        }
        Long uid = s.adding(tag, name, () -> s.mail.folders().append(s.mailbox.id(), target, message, flags, internalDate, s.quota()));
        if (uid == null) return;
        if (s.selected != null) s.folderSync.sync(true); // an append to the selected folder shows as EXISTS at once
        s.ok(tag, "[APPENDUID " + s.mail.folders().uidValidity(s.mailbox.id(), target) + " " + uid + "] APPEND completed");
    }

    private static Instant dateTime(String text) {
        try {
            return ZonedDateTime.parse(text.strip(), DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new ImapSyntaxException("the date-time must look like \"28-Nov-2026 15:04:05 +0000\"");
        }
    }
}
