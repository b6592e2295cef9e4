package sluice.admin.testing;

import sluice.core.mailbox.MailboxStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link MailboxStore} in a map; enough for usage and quota. */
public final class InMemoryMailboxStore implements MailboxStore {

    private final Map<String, List<Stored>> messages = new HashMap<>();

    private record Stored(StoredMessage meta, byte[] content) {
    }

    @Override
    public synchronized void append(String mailboxId, Folder folder, byte[] content, long quotaBytes) {
        if (quotaBytes > 0 && usage(mailboxId) + content.length > quotaBytes)
            throw new QuotaExceeded("mailbox " + mailboxId + " is full");
        List<Stored> list = messages.computeIfAbsent(mailboxId, k -> new ArrayList<>());
        list.add(new Stored(new StoredMessage(list.size() + 1L, folder, content.length, Instant.now()), content.clone()));
    }

    @Override
    public synchronized long usage(String mailboxId) {
        return messages.getOrDefault(mailboxId, List.of()).stream().mapToLong(s -> s.meta().size()).sum();
    }

    @Override
    public synchronized List<StoredMessage> list(String mailboxId, Folder folder) {
        return messages.getOrDefault(mailboxId, List.of()).stream().map(Stored::meta).filter(m -> m.folder() == folder).toList();
    }

    @Override
    public synchronized byte[] content(String mailboxId, sluice.core.mailbox.MailboxFolders.Key folder, long uid) {
        return messages.getOrDefault(mailboxId, List.of()).stream()
                .filter(s -> s.meta().uid() == uid && folder.equals(sluice.core.mailbox.MailboxFolders.Key.of(s.meta().folder())))
                .findFirst().map(s -> s.content().clone()).orElseThrow();
    }
}
