package sluice.core.mailbox;

import java.util.List;

/**
 * The hosted mailbox store. {@link #append} returns only once the message is synced: delivery into
 * a mailbox is final, the queue forgets the recipient afterwards.
 */
public interface MailboxStore {

    /**
     * The folders every hosted mailbox has. Delivery writes only INBOX and JUNK; the others are the
     * special-use folders (RFC 6154) mail clients file into over IMAP. A folder's {@link #name()} is
     * how it is kept in the store, {@link #displayName()} how clients see it.
     */
    enum Folder {
        INBOX("INBOX"), JUNK("Junk"), SENT("Sent"), DRAFTS("Drafts"), TRASH("Trash"), ARCHIVE("Archive");

        private final String displayName;

        Folder(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    /**
     * Appends a message; throws {@link QuotaExceeded} (and stores nothing) when it would take the
     * mailbox past {@code quotaBytes} (0 = unlimited).
     */
    void append(String mailboxId, Folder folder, byte[] content, long quotaBytes);

    /** Bytes stored in a mailbox, all folders. */
    long usage(String mailboxId);

    List<StoredMessage> list(String mailboxId, Folder folder);

    /**
     * The octets of the message with {@code uid} in {@code folder}: UIDs are per folder (RFC 9051
     * section 2.3.1.1), so one UID may name different messages in two folders.
     *
     * @throws java.util.NoSuchElementException when the folder has no message with that UID
     */
    byte[] content(String mailboxId, MailboxFolders.Key folder, long uid);

    /** The octets of a message {@link #list} returned. */
    default byte[] content(String mailboxId, StoredMessage message) {
        return content(mailboxId, MailboxFolders.Key.of(message.folder()), message.uid());
    }

    record StoredMessage(long uid, Folder folder, long size, java.time.Instant receivedAt) {
    }

    final class QuotaExceeded extends RuntimeException {
        public QuotaExceeded(String message) { super(message); }
    }
}
