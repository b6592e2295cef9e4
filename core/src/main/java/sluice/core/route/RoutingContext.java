package sluice.core.route;

import sluice.core.mail.QueuedMessage;

/**
 * What routing needs to know about the message besides the recipient: the organization that sends
 * it (whose outbound connectors apply to external recipients), how it reached us, and the outbound
 * connector a mail flow rule chose for it (id, or null).
 */
public record RoutingContext(String organizationId, QueuedMessage.Origin origin, String transportRuleConnector) {

    public static final RoutingContext INTERNET = new RoutingContext(null, QueuedMessage.Origin.INTERNET);

    public RoutingContext(String organizationId, QueuedMessage.Origin origin) {
        this(organizationId, origin, null);
    }

    public static RoutingContext of(QueuedMessage m) {
        return new RoutingContext(m.organizationId(), m.origin(), m.transportRuleConnector());
    }
}
