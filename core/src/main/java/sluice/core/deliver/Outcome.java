package sluice.core.deliver;

/**
 * The result of one delivery attempt for one recipient. {@code reply} is what the next hop (or the
 * local store) said, in the form "250 2.0.0 Ok"; {@code detail} is for the trace (which host, why).
 * Temporary versus permanent is the type; an unknown failure is {@link Deferred}.
 */
public sealed interface Outcome permits Outcome.Delivered, Outcome.Deferred, Outcome.Bounced {

    String reply();

    String detail();

    /**
     * @param remoteHost        the host that accepted it ("mailbox" for local delivery)
     * @param tls               protocol/cipher or null
     * @param nextHopHandlesDsn true when the next hop announced DSN and so was given NOTIFY, ORCPT, RET and
     *                          ENVID: it now owns the success notice, and ours would be a duplicate
     *                          (RFC 3461 section 5.2)
     */
    record Delivered(String reply, String detail, String remoteHost, String tls, boolean nextHopHandlesDsn) implements Outcome {

        /** Final delivery here, or a hand-off to a next hop that does not take on DSN. */
        public Delivered(String reply, String detail, String remoteHost, String tls) {
            this(reply, detail, remoteHost, tls, false);
        }
    }

    /**
     * @param notAttempted true when no delivery was tried: our own limit on deliveries or connections to the
     *                     destination was reached (4.4.5, see {@code sluice.core.queue.DeliverySlots}), or the wait
     *                     for one was interrupted as the node stops. The queue
     *                     then tries again soon, does not count it as an attempt, and keeps the reply of the last
     *                     real attempt: {@code reply} is ours, not the destination's, and must not reach the sender
     *                     as what a server said
     */
    record Deferred(String reply, String detail, boolean notAttempted) implements Outcome {

        /** Our reply when the wait for a slot or a connection was interrupted as the node stops. */
        public static final String SHUTTING_DOWN = "451 4.3.0 Delivery interrupted (shutting down)";

        /** A deferral after trying: what the next hop (or the store) said, or why the attempt failed. */
        public Deferred(String reply, String detail) {
            this(reply, detail, false);
        }

        /** Not attempted because the node stops ({@link #SHUTTING_DOWN}), not because the destination is busy. */
        public static Deferred shuttingDown(String detail) {
            return new Deferred(SHUTTING_DOWN, detail, true);
        }

        /** Whether this is {@link #shuttingDown}'s: no attempt, but not for a busy destination. */
        public boolean interrupted() {
            return notAttempted && SHUTTING_DOWN.equals(reply);
        }
    }

    /** @param remoteHost the host that refused it, as {@link Delivered#remoteHost}, or null when no host did */
    record Bounced(String reply, String detail, String remoteHost) implements Outcome {

        public Bounced(String reply, String detail) {
            this(reply, detail, null);
        }
    }
}
