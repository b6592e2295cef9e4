package sluice.core.deliver;

/**
 * The result of one delivery attempt for one recipient. {@code reply} is what the next hop (or the
 * local store) said, in the form "250 2.0.0 Ok"; {@code detail} is for the trace (which host, why).
 * Temporary versus permanent is the type; an unknown failure is {@link Deferred}.
 */
public sealed interface Outcome permits Outcome.Delivered, Outcome.Deferred, Outcome.Bounced {

    String reply();

    String detail();

    /** @param remoteHost the host that accepted it ("mailbox" for local delivery); @param tls protocol/cipher or null */
    record Delivered(String reply, String detail, String remoteHost, String tls) implements Outcome {}

    record Deferred(String reply, String detail) implements Outcome {}

    record Bounced(String reply, String detail) implements Outcome {}
}
