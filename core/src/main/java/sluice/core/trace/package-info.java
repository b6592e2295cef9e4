/**
 * The message trace: typed events for every message and recipient (RECEIVE, DEFER, SEND, DELIVER,
 * FAIL, ...), recorded without blocking the mail path, searchable by administrators. Leaf package.
 */
package sluice.core.trace;
