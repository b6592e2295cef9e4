package sluice.store.spool;

/** A stored row that no longer parses into our types; it is moved aside, never dropped. */
final class UnreadableRow extends Exception {
    UnreadableRow(String reason) {
        super(reason, null, false, false);
    }
}
