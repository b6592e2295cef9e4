package sluice.store.spool;

import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.Spool;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * The durable queue on SQL. Every write goes through the {@link GroupCommitWriter}, so it returns
 * only after its transaction is synced, and concurrent callers share one sync. Reads that meet a
 * row they cannot parse move the whole message aside ({@link DeadLetters}) and carry on without it.
 */
public final class SqlSpool implements Spool {
    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final DeadLetters deadLetters;

    public SqlSpool(GroupCommitWriter writer, ReadPool readers, InstantSource clock) {
        this.writer = writer;
        this.readers = readers;
        this.deadLetters = new DeadLetters(writer, clock);
    }

    @Override
    public void enqueue(QueuedMessage message, List<QueuedRecipient> recipients) {
        checkRecipients(message, recipients);
        List<QueuedRecipient> copy = List.copyOf(recipients);
        writer.write(c -> {
            SpoolRows.insert(c, message, copy);
            return null;
        });
    }

    @Override
    public void update(Collection<QueuedRecipient> recipients, Collection<Generated> generated) {
        List<QueuedRecipient> changes = List.copyOf(recipients);
        List<Generated> created = List.copyOf(generated);
        for (Generated g : created) checkRecipients(g.message(), g.recipients());
        writer.write(c -> {
            // A recipient whose message an administrator deleted meanwhile updates nothing: fine.
            for (QueuedRecipient r : changes) SpoolRows.update(c, r);
            for (Generated g : created) SpoolRows.insert(c, g.message(), g.recipients());
            for (QueueId id : changes.stream().map(QueuedRecipient::messageId).distinct().toList())
                SpoolRows.deleteIfFinished(c, id);
            return null;
        });
    }

    @Override
    public Optional<QueuedMessage> message(QueueId id) {
        return read(id, SpoolRows.MESSAGE_COLUMNS, SpoolRows::message);
    }

    @Override
    public Optional<Envelope> envelope(QueueId id) {
        return read(id, SpoolRows.ENVELOPE_COLUMNS, SpoolRows::envelope);
    }

    private interface RowReader<T> {
        T read(ResultSet rs) throws java.sql.SQLException, UnreadableRow;
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> read(QueueId id, String columns, RowReader<T> reader) {
        Object row = readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT " + columns + " FROM messages WHERE id = ?")) {
                s.setString(1, id.value());
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) return null;
                    try {
                        return reader.read(rs);
                    } catch (UnreadableRow e) {
                        return e;
                    }
                }
            }
        });
        if (row instanceof UnreadableRow e) {
            deadLetters.moveAside(id.value(), e.getMessage());
            return Optional.empty();
        }
        return Optional.ofNullable((T) row);
    }

    @Override
    public List<QueuedRecipient> recipients(QueueId id) {
        Object rows = readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement(
                    "SELECT " + SpoolRows.RECIPIENT_COLUMNS + " FROM recipients WHERE message_id = ? ORDER BY idx")) {
                s.setString(1, id.value());
                try (ResultSet rs = s.executeQuery()) {
                    List<QueuedRecipient> list = new ArrayList<>();
                    while (rs.next()) {
                        try {
                            list.add(SpoolRows.recipient(rs));
                        } catch (UnreadableRow e) {
                            return e;
                        }
                    }
                    return list;
                }
            }
        });
        if (rows instanceof UnreadableRow e) {
            deadLetters.moveAside(id.value(), e.getMessage());
            return List.of();
        }
        @SuppressWarnings("unchecked") List<QueuedRecipient> list = (List<QueuedRecipient>) rows;
        return list;
    }

    /**
     * Validates every pending message's envelope and recipients (not the bodies: those are checked
     * when {@link #message} loads them) and moves unreadable ones aside, so start-up never fails on
     * one bad row.
     */
    @Override
    public List<QueueId> pending() {
        Map<String, String> unreadable = new LinkedHashMap<>();
        SequencedSet<QueueId> ids = new LinkedHashSet<>();
        readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT m.id, m.network_id, r.address, r.state "
                    + "FROM messages m JOIN recipients r ON r.message_id = m.id WHERE m.id IN "
                    + "(SELECT message_id FROM recipients WHERE state NOT IN ('DELIVERED', 'FAILED')) "
                    + "ORDER BY m.received_at, m.id, r.idx");
                 ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String raw = rs.getString(1);
                    try {
                        QueueId id = SpoolRows.queueId(raw);
                        SpoolRows.networkId(rs.getString(2));
                        SpoolRows.address(rs.getString(3));
                        SpoolRows.state(rs.getString(4));
                        ids.add(id);
                    } catch (UnreadableRow e) {
                        unreadable.putIfAbsent(raw, e.getMessage());
                    }
                }
            }
            return null;
        });
        unreadable.forEach(deadLetters::moveAside);
        ids.removeIf(id -> unreadable.containsKey(id.value()));
        return List.copyOf(ids);
    }

    @Override
    public void delete(QueueId id) {
        writer.write(c -> {
            try (PreparedStatement s = c.prepareStatement("DELETE FROM messages WHERE id = ?")) {
                s.setString(1, id.value());
                return s.executeUpdate();
            }
        });
    }

    private static void checkRecipients(QueuedMessage message, List<QueuedRecipient> recipients) {
        if (recipients.isEmpty())
            throw new IllegalArgumentException("message " + message.id() + " has no recipients: nothing would ever deliver or remove it");
        for (QueuedRecipient r : recipients)
            if (!r.messageId().equals(message.id()))
                throw new IllegalArgumentException("recipient " + r.address() + " belongs to " + r.messageId() + ", not " + message.id());
    }
}
