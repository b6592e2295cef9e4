package sluice.core.testing;

import sluice.core.mailbox.MailboxFolders;
import sluice.core.mailbox.MailboxStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A mailbox store in memory for core's unit tests, with the quota rule of the real one. */
public final class MemoryMailboxStore implements MailboxStore {

    private record Stored(long uid, Folder folder, byte[] content) {
    }

    private final Map<String, List<Stored>> boxes = new HashMap<>();

    @Override
    public synchronized void append(String mailboxId, Folder folder, byte[] content, long quotaBytes) {
        if (quotaBytes > 0 && usage(mailboxId) + content.length > quotaBytes) throw new QuotaExceeded("over quota");
        List<Stored> box = boxes.computeIfAbsent(mailboxId, k -> new ArrayList<>());
        box.add(new Stored(box.size() + 1, folder, content));
    }

    @Override
    public synchronized long usage(String mailboxId) {
        return boxes.getOrDefault(mailboxId, List.of()).stream().mapToLong(s -> s.content.length).sum();
    }

    @Override
    public synchronized List<StoredMessage> list(String mailboxId, Folder folder) {
        return boxes.getOrDefault(mailboxId, List.of()).stream().filter(s -> s.folder == folder)
                .map(s -> new StoredMessage(s.uid, s.folder, s.content.length, Instant.EPOCH)).toList();
    }

    @Override
    public synchronized byte[] content(String mailboxId, MailboxFolders.Key folder, long uid) {
        Stored s = boxes.get(mailboxId).get((int) uid - 1);
        if (!folder.equals(MailboxFolders.Key.of(s.folder))) throw new java.util.NoSuchElementException("no message " + uid);
        return s.content;
    }

    /** The message with {@code uid}, in whichever folder: this fake numbers a mailbox's messages in one sequence. */
    public synchronized byte[] content(String mailboxId, long uid) {
        return boxes.get(mailboxId).get((int) uid - 1).content;
    }
}
