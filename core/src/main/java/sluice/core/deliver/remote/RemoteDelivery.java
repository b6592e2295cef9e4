package sluice.core.deliver.remote;

import sluice.core.deliver.Outcome;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.route.Route;

import java.util.List;

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
}
