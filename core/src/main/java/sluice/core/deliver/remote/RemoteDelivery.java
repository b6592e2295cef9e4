package sluice.core.deliver.remote;

import sluice.core.deliver.Outcome;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;

import java.util.List;
import java.util.function.Supplier;

/**
 * Delivers over SMTP to the next hop of a route. One call is one message to the recipients that
 * share that route; the result has one outcome per recipient, in the same order.
 *
 * <p>Implementations reuse connections per destination, bound the connections per destination, and
 * never let one slow destination hold up another. They never throw: every failure is an outcome.
 */
public interface RemoteDelivery {

    List<Outcome> deliver(Route.ToSmartHost route, QueuedMessage message, List<QueuedRecipient> recipients);

    List<Outcome> deliver(Route.ToMx route, QueuedMessage message, List<QueuedRecipient> recipients);

    /**
     * Like {@link #deliver(Route.ToSmartHost, QueuedMessage, List)}, with each SMTP transaction run inside
     * {@code admission} and the message's content read ({@code message.get()}) only there, so waiting for a
     * connection to the next hop holds neither a node delivery slot nor the body. This default admits the whole
     * delivery at once, as an implementation that does not wait for connections may.
     *
     * @throws InterruptedException not admitted (the caller is stopping): recipients not admitted have no outcome
     */
    default List<Outcome> deliver(Route.ToSmartHost route, Supplier<QueuedMessage> message, List<QueuedRecipient> recipients,
                                  Admission admission) throws InterruptedException {
        return admission.admit(() -> deliver(route, message.get(), recipients));
    }

    /** Like {@link #deliver(Route.ToSmartHost, Supplier, List, Admission)}, to the route's MX hosts. */
    default List<Outcome> deliver(Route.ToMx route, Supplier<QueuedMessage> message, List<QueuedRecipient> recipients,
                                  Admission admission) throws InterruptedException {
        return admission.admit(() -> deliver(route, message.get(), recipients));
    }
}
