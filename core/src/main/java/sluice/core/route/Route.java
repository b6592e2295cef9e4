package sluice.core.route;

import sluice.core.mail.Domain;
import sluice.core.mail.HostPort;
import sluice.core.org.Mailbox;
import sluice.smtp.Reply;

import java.util.List;

/** Where one recipient goes. Resolved again at every delivery attempt. */
public sealed interface Route permits Route.ToMailbox, Route.ToSmartHost, Route.ToMx, Route.Refuse {

    /** Into a hosted mailbox. */
    record ToMailbox(Mailbox mailbox) implements Route {}

    /**
     * To fixed next hops, tried in order, e.g. through an outbound connector.
     *
     * @param localAllowed       the hops may be addresses of this node itself (the node's own routes, and connectors
     *                           whose hops a global administrator set; see
     *                           {@link sluice.core.connector.OutboundConnector#localHopsAllowed})
     * @param leavesOrganization the hops are outside the organization (a partner, an internet relay), so the
     *                           organization's own header fields are removed on the way out
     */
    record ToSmartHost(List<HostPort> hosts, TlsPolicy tls, String connector, boolean localAllowed,
                       boolean leavesOrganization) implements Route {
        public ToSmartHost {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) throw new IllegalArgumentException("a smart-host route needs at least one host");
        }
    }

    /**
     * To the recipient domain's MX hosts (A/AAAA fallback, RFC 5321 section 5.1).
     *
     * @param connector          the outbound connector that chose MX delivery, or null for plain internet delivery
     * @param leavesOrganization false only for an OnPremises connector that delivers by MX (the organization's own
     *                           servers); see {@link ToSmartHost#leavesOrganization}
     */
    record ToMx(Domain domain, TlsPolicy tls, String connector, boolean leavesOrganization) implements Route {
        public ToMx(Domain domain, TlsPolicy tls, String connector) {
            this(domain, tls, connector, true);
        }

        public ToMx(Domain domain, TlsPolicy tls) {
            this(domain, tls, null);
        }
    }

    /** No route: the recipient is refused with {@code reply}; {@code reason} is for the trace only. */
    record Refuse(Reply reply, String reason) implements Route {}
}
