package sluice.core.trace;

import org.slf4j.Logger;

import java.util.UUID;

/**
 * An unexpected failure (a defect, not bad input) whose details are for the operator only. Results that
 * tenants and senders see (a validation report, an Authentication-Results header, the message trace) carry
 * {@link #text()}, a short reference; the exception with its stack trace goes to the node's log under that
 * reference. An exception's text may name files, addresses and state of the node, which are no one else's
 * business.
 *
 * <pre>{@code
 * Incident i = Incident.logged(log, "evaluating DMARC", e);
 * String reason = i.text();   // "internal error (reference 1f0c9a2b)"
 * }</pre>
 *
 * @param reference eight hex digits, found in the log next to the stack trace
 */
public record Incident(String reference) {

    /** Logs {@code cause} with its stack trace at error level under a new reference. */
    public static Incident logged(Logger log, String what, Throwable cause) {
        Incident i = new Incident(UUID.randomUUID().toString().substring(0, 8));
        log.error("{} failed unexpectedly (reference {})", what, i.reference, cause);
        return i;
    }

    /** What results may show: that an internal error happened, and where the operator finds it. */
    public String text() {
        return "internal error (reference " + reference + ")";
    }
}
