/**
 * The message trace ({@link sluice.core.trace.Trace}) on SQL: every event, plus a per-recipient
 * summary that searches read. Input: events from the mail flow; output: searches and event lists.
 * A search is read a page at a time by keyset: each page starts just after the previous page's last
 * row, an index seek on the received time that new mail cannot shift.
 * Failure modes: recording never blocks; when the bounded buffer is full or a batch cannot be
 * written, events are dropped, counted and logged. Events become searchable after the next batch
 * (about 50 ms) or {@code flush()}. {@code purgeBefore} removes what is past retention in batches,
 * never the trace of a message still queued or quarantined.
 */
package sluice.store.trace;
