/**
 * The durable queue ({@link sluice.core.queue.Spool}) on SQL: messages with their content, and one
 * row of delivery state per recipient. Input: queue records from core; output: the same records,
 * after restart too. Failure modes: a write that returned is synced; a row that cannot be read back
 * (damaged body by checksum, unparsable id, address or state) is moved with its raw values to
 * {@code dead_letters} and logged, never dropped and never fatal to start-up.
 */
package sluice.store.spool;
