package sluice.smtp.server;

/**
 * How many errors one session may make, after Postfix's soft and hard error limits. Errors are protocol
 * errors and the handler's permanent refusals of RCPT and AUTH, so probing which mailboxes or passwords
 * exist costs as a syntax error does. Past half of {@code maxErrors} each error reply is slowed down;
 * past {@code maxErrors} since the last accepted message, or past {@link #SESSION_FACTOR} times that
 * over the whole session, the session ends.
 */
final class ErrorBudget {

    /**
     * Errors over the whole session, which an accepted message does not forgive, may be this many times
     * {@code maxErrors}: a prober cannot buy more for ever. The cost: a relay with a refused recipient in
     * every message gets a 421 after a hundred messages on one connection (by default), and connects again.
     */
    static final int SESSION_FACTOR = 5;

    private final int maxErrors;
    /** Since the last accepted message. */
    private int errors;
    private int sessionErrors;

    ErrorBudget(int maxErrors) {
        this.maxErrors = maxErrors;
    }

    /** Counts one error; true when that was one too many and the session must end. */
    boolean spend() {
        return ++errors > maxErrors || ++sessionErrors > (long) SESSION_FACTOR * maxErrors;
    }

    /** True past the soft limit: the error reply waits first, so probing also goes slowly. */
    boolean slow() {
        return errors > maxErrors / 2;
    }

    /**
     * A message was accepted: the count since the last one starts again, as Postfix's limits count errors
     * "without delivering mail" (a relay that keeps one connection for many messages meets a few refused
     * recipients in each). The session's count goes on.
     */
    void forgive() {
        errors = 0;
    }
}
