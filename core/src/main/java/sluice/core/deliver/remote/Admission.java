package sluice.core.deliver.remote;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The node-wide bound on SMTP transactions at once, as the caller (the queue) keeps it. Remote
 * delivery enters it for each transaction only once it holds a connection permit for the next hop,
 * so a delivery waiting for one of a busy or stalled server's connections takes none of the node's
 * delivery slots.
 */
public interface Admission {

    /**
     * Runs {@code transaction} once admitted; may wait meanwhile.
     *
     * @throws InterruptedException not admitted (the caller is stopping): nothing was sent
     */
    <T> T admit(Supplier<T> transaction) throws InterruptedException;

    /**
     * Runs {@code transaction} only if it is admitted without waiting (and without going ahead of anyone
     * waiting); empty otherwise, with nothing run.
     *
     * @throws InterruptedException not admitted because the caller is stopping: nothing was sent
     */
    default <T> Optional<T> admitNow(Supplier<T> transaction) throws InterruptedException {
        return Optional.of(admit(transaction));
    }

    /** No bound: every transaction runs at once (tools, and callers that bound deliveries themselves). */
    Admission AT_ONCE = new Admission() {
        @Override
        public <T> T admit(Supplier<T> transaction) {
            return transaction.get();
        }
    };
}
