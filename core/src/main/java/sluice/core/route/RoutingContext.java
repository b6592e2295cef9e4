package sluice.core.route;

import sluice.core.mail.QueuedMessage;

/**
 * What routing needs to know about the message besides the recipient: the organization that sends
 * it (whose outbound connectors apply to external recipients) and how it reached us.
 */
public record RoutingContext(String organizationId, QueuedMessage.Origin origin) {

    public static final RoutingContext INTERNET = new RoutingContext(null, QueuedMessage.Origin.INTERNET);

    public static RoutingContext of(QueuedMessage m) {
        return new RoutingContext(m.organizationId(), m.origin());
    }
}
