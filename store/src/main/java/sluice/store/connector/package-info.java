/**
 * Connectors ({@link sluice.core.connector.Connectors}) on SQL with an in-memory copy for the hot
 * path: every connection and every routing decision reads the connector lists without SQL. Input:
 * administrative changes and validation results; output: the inbound and outbound connectors.
 * Failure modes: a duplicate name within an organization is {@code Directory.Conflict}, a missing
 * connector or organization {@code Directory.NotFound}; the cache changes only after a successful
 * commit, and a stored row that no longer parses is logged and skipped at start-up, never fatal.
 */
package sluice.store.connector;
