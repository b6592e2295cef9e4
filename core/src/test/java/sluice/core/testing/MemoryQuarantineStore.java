package sluice.core.testing;

import sluice.core.mail.Address;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantineStore;
import sluice.core.quarantine.QuarantinedMessage;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** A quarantine store in memory for core's tests; search supports every filter, exact matches only. */
public final class MemoryQuarantineStore implements QuarantineStore {

    private final Map<String, QuarantinedMessage> messages = new TreeMap<>();
    private Quarantine.Position nextPageEnd;

    /** Makes the next search answer no entries and {@code next} as its position, as a broken store might. */
    public synchronized void endNextPageAt(Quarantine.Position next) {
        nextPageEnd = next;
    }

    @Override
    public synchronized void save(QuarantinedMessage message) {
        messages.put(message.entry().id(), message);
    }

    @Override
    public synchronized Quarantine.Page page(Quarantine.Query q) {
        if (nextPageEnd != null) {
            Quarantine.Page broken = new Quarantine.Page(List.of(), nextPageEnd);
            nextPageEnd = null;
            return broken;
        }
        // as the SQL store's: received time, then id, both descending
        Comparator<Quarantine.Position> newestFirst = Comparator.comparing(Quarantine.Position::received)
                .thenComparing(Quarantine.Position::id).reversed();
        int limit = q.limit() <= 0 ? 100 : q.limit();
        List<QuarantineEntry> found = messages.values().stream().map(QuarantinedMessage::entry)
                .filter(e -> q.organizationIds() == null || e.organizationId() != null && q.organizationIds().contains(e.organizationId()))
                .filter(e -> q.sender() == null || e.sender().equalsIgnoreCase(q.sender()))
                .filter(e -> q.recipient() == null || e.recipients().stream().anyMatch(r -> r.key().equals(q.recipient().toLowerCase(Locale.ROOT))))
                .filter(e -> q.reason() == null || e.reason() == q.reason())
                .filter(e -> q.from() == null || !e.receivedAt().isBefore(q.from()))
                .filter(e -> q.to() == null || e.receivedAt().isBefore(q.to()))
                .filter(e -> q.after() == null || newestFirst.compare(Quarantine.Position.of(e), q.after()) > 0)
                .sorted(Comparator.comparing(Quarantine.Position::of, newestFirst)).limit(limit + 1L).toList();
        return found.size() > limit ? new Quarantine.Page(found.subList(0, limit), Quarantine.Position.of(found.get(limit - 1)))
                : new Quarantine.Page(found, null);
    }

    @Override
    public synchronized Optional<QuarantineEntry> entry(String id) {
        return Optional.ofNullable(messages.get(id)).map(QuarantinedMessage::entry);
    }

    @Override
    public synchronized Optional<byte[]> content(String id) {
        return Optional.ofNullable(messages.get(id)).map(QuarantinedMessage::content);
    }

    @Override
    public synchronized Optional<List<Address>> recordRelease(String id, List<Address> recipients, boolean again,
                                                           String releasedBy, Instant at) {
        QuarantinedMessage m = messages.get(id);
        if (m == null) return Optional.empty();
        QuarantineEntry e = m.entry();
        // as the SQL store's conditional update: each address (case-insensitively) is marked once
        java.util.Set<String> done = new java.util.HashSet<>();
        if (!again) e.releasedTo().forEach(a -> done.add(a.key()));
        List<Address> marked = recipients.stream().filter(r -> done.add(r.key())).toList();
        if (!marked.isEmpty()) messages.put(id, new QuarantinedMessage(e.released(marked, releasedBy, at), m.content()));
        return Optional.of(marked);
    }

    @Override
    public synchronized boolean delete(String id) {
        return messages.remove(id) != null;
    }

    @Override
    public synchronized int deleteExpired(Instant now) {
        int before = messages.size();
        messages.values().removeIf(m -> m.entry().isExpired(now));
        return before - messages.size();
    }
}
