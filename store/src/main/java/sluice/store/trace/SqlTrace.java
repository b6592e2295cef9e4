package sluice.store.trace;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;
import sluice.store.db.BatchedDelete;
import sluice.store.db.GroupCommitWriter;
import sluice.store.db.ReadPool;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The message trace on SQL. {@link #record} only appends to a bounded in-memory buffer and never
 * waits: a background thread writes the buffer in batches through the shared group-commit writer.
 * When the buffer is full (the disk cannot keep up), events are dropped and counted rather than
 * slowing mail down; the trace is an audit aid, the queue is the contract.
 */
public final class SqlTrace implements Trace, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SqlTrace.class);
    private static final int BATCH = 2_000;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /**
     * Rows {@code t} of a message no longer in our custody: neither queued (some recipient not yet
     * delivered or failed; the spool deletes the message when none is left) nor held in quarantine.
     * A message deferred for days, or released from quarantine weeks later, keeps its whole trace
     * however short the retention, so its final events never stand alone.
     */
    private static final String OUT_OF_CUSTODY = "NOT EXISTS (SELECT 1 FROM messages m WHERE m.network_id = t.network_id) "
            + "AND NOT EXISTS (SELECT 1 FROM quarantine q WHERE q.network_id = t.network_id)";
    // Row values rather than SQLite's rowid: trace_events has no key of its own, and (network_id, at,
    // seq) is served by the trace_events_message index on SQLite and PostgreSQL alike.
    private static final String PURGE_EVENTS = "DELETE FROM trace_events WHERE (network_id, at, seq) IN "
            + "(SELECT network_id, at, seq FROM trace_events t WHERE at < ? AND " + OUT_OF_CUSTODY + " LIMIT ?)";
    // A summary goes when both its first event and the event that set its status are past the
    // cut-off: a message that took days to deliver stays searchable as long as its last status.
    // The whole key: another organization's copy of the message to the same recipient has its own status.
    private static final String PURGE_SUMMARIES = "DELETE FROM trace_recipients WHERE (network_id, organization_id, recipient_key) IN "
            + "(SELECT network_id, organization_id, recipient_key FROM trace_recipients t WHERE received_at < ? AND status_at < ? AND "
            + OUT_OF_CUSTODY + " LIMIT ?)";

    private final GroupCommitWriter writer;
    private final ReadPool readers;
    private final BlockingQueue<TraceEvent> buffer;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong seq;
    /** Held while taking events out of the buffer and writing them, so flush() sees no half-written batch. */
    private final ReentrantLock draining = new ReentrantLock();
    private final Thread thread;
    private volatile boolean closed;

    public SqlTrace(GroupCommitWriter writer, ReadPool readers, int bufferCapacity) {
        this.writer = writer;
        this.readers = readers;
        this.buffer = new ArrayBlockingQueue<>(bufferCapacity);
        this.seq = new AtomicLong(readers.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM trace_events");
                 ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }));
        this.thread = Thread.ofPlatform().name("sluice-trace-writer").daemon(true).start(this::loop);
    }

    @Override
    public void record(TraceEvent event) {
        if (closed || !buffer.offer(event)) {
            long n = dropped.incrementAndGet();
            if (Long.bitCount(n) == 1) // 1, 2, 4, 8, ...: warns without flooding the log
                log.warn("message trace is not keeping up: {} event(s) dropped so far", n);
        }
    }

    /** Events lost because the buffer was full or a batch could not be written. */
    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public Page page(Query query) {
        return readers.read(c -> TraceSearch.page(c, query));
    }

    @Override
    public List<TraceEvent> events(String networkMessageId) {
        return readers.read(c -> TraceSearch.events(c, networkMessageId));
    }

    @Override
    public List<HourlyCount> mailFlow(List<String> organizationIds, java.time.Instant from, java.time.Instant to) {
        return readers.read(c -> TraceSearch.mailFlow(c, organizationIds, from, to));
    }

    /**
     * Removes the events older than {@code cutoff}, and the per-recipient summaries whose status is,
     * of messages no longer queued or quarantined; returns the number of events removed. Deletes in
     * batches of {@link BatchedDelete#BATCH} rows, one write transaction each, so mail keeps flowing.
     */
    public long purgeBefore(Instant cutoff) {
        long millis = cutoff.toEpochMilli();
        long events = BatchedDelete.run(writer, BatchedDelete.BATCH, PURGE_EVENTS, millis);
        BatchedDelete.run(writer, BatchedDelete.BATCH, PURGE_SUMMARIES, millis, millis);
        return events;
    }

    /** Returns once every event recorded before the call is written (or counted as dropped). */
    public void flush() {
        while (drainOnce()) {
            // keep going until the buffer is empty
        }
    }

    private void loop() {
        while (!closed) {
            if (!drainOnce()) LockSupport.parkNanos(IDLE_NANOS);
        }
    }

    /** Writes up to one batch; false when there was nothing to write. */
    private boolean drainOnce() {
        draining.lock();
        try {
            List<TraceEvent> batch = new ArrayList<>(Math.min(BATCH, buffer.size()));
            buffer.drainTo(batch, BATCH);
            if (batch.isEmpty()) return false;
            long first = seq.getAndAdd(batch.size()) + 1;
            try {
                writer.write(c -> {
                    TraceRows.insert(c, batch, first);
                    return null;
                });
            } catch (RuntimeException e) {
                dropped.addAndGet(batch.size());
                log.warn("could not write {} trace event(s); they are lost: {}", batch.size(), e.getMessage());
            }
            return true;
        } finally {
            draining.unlock();
        }
    }

    /** Stops the background thread and writes what is left. Call before closing the writer. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
