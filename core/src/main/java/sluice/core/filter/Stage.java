package sluice.core.filter;

import sluice.smtp.Reply;

import java.util.Optional;

/**
 * One step of the protection pipeline. It adds what it found to the findings and, when the finding
 * settles the matter (malware, a blocked IP), returns the verdict at once so later stages are
 * skipped. A stage must not throw: what it could not determine is a fact too (e.g. a DNS temperror).
 */
public interface Stage {

    String name();

    Optional<Verdict> inspect(Inspection message, Findings findings);

    /** A client connected: a stage may start slow look-ups now, to run alongside the SMTP dialogue. */
    default void connected(java.net.InetAddress client) {
    }

    /**
     * True for a stage whose failure must stop the message (anti-malware: unscanned mail is never
     * delivered); it is then deferred so the sender retries.
     */
    default boolean required() {
        return false;
    }

    /** What the client is told when this {@link #required} stage failed (451 4.7.0, the client retries). */
    default Reply failedReply() {
        return Decision.SCAN_FAILED;
    }
}
