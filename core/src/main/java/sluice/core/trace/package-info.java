/**
 * The message trace: typed events for every message and recipient (RECEIVE, DEFER, SEND, DELIVER,
 * FAIL, ...), recorded without blocking the mail path, searchable by administrators a page at a time
 * ({@link sluice.core.trace.Trace#page}); and
 * {@link sluice.core.trace.Incident}, how an unexpected failure appears in what tenants and senders see
 * (a reference) while its details go to the operator's log. Leaf package.
 */
package sluice.core.trace;
