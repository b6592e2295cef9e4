package sluice.core.route;

import sluice.core.connector.ConnectorType;
import sluice.core.connector.OutboundConnector;
import sluice.core.connector.OutboundSelector;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.QueuedMessage;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.smtp.Reply;

import java.util.Optional;

/**
 * Recipient to route. Called at RCPT (to decide acceptance) and again at every delivery attempt, so a
 * fixed directory or connector drains deferred mail. Never decides relay permission: that is the
 * receiving side's job.
 *
 * <p>Order: a hosted mailbox, unless the accepted domain covering its address is another organization's; else the
 * outbound connector a mail flow rule chose (for recipients outside every accepted domain or in the rule
 * organization's own); else, for the organization's own domains, Authoritative refuses and
 * InternalRelay goes to the organization's servers through an outbound connector; else, for external
 * domains, the sending organization's outbound connectors (centralized transport first for its
 * submitted mail), then the node's static routes, then MX.
 */
public final class Router {

    static final Reply UNKNOWN_RECIPIENT = Reply.of(550, "5.4.1", "Recipient address rejected: Access denied");
    static final Reply LOOP = Reply.of(550, "5.4.14", "Routing loop detected: the recipient's route leads back to where the message came from");

    private final Directory directory;
    private final OutboundSelector connectors;
    private final StaticRoutes staticRoutes;
    private final Postmaster postmaster;

    public Router(Directory directory, OutboundSelector connectors, StaticRoutes staticRoutes) {
        this(directory, connectors, staticRoutes, Postmaster.NONE);
    }

    public Router(Directory directory, OutboundSelector connectors, StaticRoutes staticRoutes, Postmaster postmaster) {
        this.directory = directory;
        this.connectors = connectors;
        this.staticRoutes = staticRoutes;
        this.postmaster = postmaster;
    }

    public Postmaster postmaster() {
        return postmaster;
    }

    /**
     * RFC 5321 section 4.5.1: present when {@code recipient} is a postmaster address we must take
     * although nothing else does: the postmaster of this host, or postmaster at an accepted domain
     * whose route refuses it (no mailbox in an Authoritative domain, no way to the organization's
     * servers). The postmaster of a domain with a mailbox or an InternalRelay route is left to them.
     */
    public Optional<Postmaster.StandIn> postmasterStandIn(Address recipient, RoutingContext context) {
        if (!Postmaster.named(recipient)) return Optional.empty();
        boolean standIn = postmaster.ofThisHost(recipient) && directory.acceptedDomainFor(recipient.domain()).isEmpty()
                || directory.acceptedDomainFor(recipient.domain()).isPresent() && route(recipient, context) instanceof Route.Refuse;
        return standIn ? Optional.of(new Postmaster.StandIn(recipient, postmaster.address())) : Optional.empty();
    }

    /** The accepted domain covering the recipient's domain, if any. */
    public Optional<AcceptedDomain> acceptedDomain(Address recipient) {
        return directory.acceptedDomainFor(recipient.domain());
    }

    public Route route(Address recipient, RoutingContext context) {
        var mailbox = directory.mailboxFor(recipient);
        Optional<AcceptedDomain> accepted = directory.acceptedDomainFor(recipient.domain());
        // a mailbox left in a name another organization has since taken does not get that organization's mail
        if (mailbox.isPresent() && accepted.map(d -> d.organizationId().equals(mailbox.get().organizationId())).orElse(true))
            return new Route.ToMailbox(mailbox.get());
        if (context.transportRuleConnector() != null && ruleMayRoute(recipient, accepted, context)) {
            // a mail flow rule's routeUsingConnector; a connector since deleted or disabled routes as usual
            Optional<OutboundConnector> ruled = connectors.forTransportRule(context.organizationId(), context.transportRuleConnector());
            if (ruled.isPresent()) return toRoute(ruled.get(), recipient.domain());
        }
        if (accepted.isPresent()) return ownDomain(recipient, accepted.get(), context);
        return external(recipient.domain(), context);
    }

    /**
     * A rule's connector carries the rule organization's mail only: to external recipients and its
     * own domains, never to another organization's domains or this host's postmaster.
     */
    private boolean ruleMayRoute(Address recipient, Optional<AcceptedDomain> accepted, RoutingContext context) {
        return accepted.map(d -> d.organizationId().equals(context.organizationId())).orElse(!postmaster.ofThisHost(recipient));
    }

    private Route ownDomain(Address recipient, AcceptedDomain accepted, RoutingContext context) {
        return switch (accepted.type()) {
            case AUTHORITATIVE -> new Route.Refuse(UNKNOWN_RECIPIENT,
                    "no mailbox " + recipient.key() + " in Authoritative domain " + accepted.domain());
            case INTERNAL_RELAY -> {
                Optional<OutboundConnector> c = connectors.select(accepted.organizationId(), recipient.domain(), true);
                if (c.isPresent()) {
                    boolean backToSender = context.origin() == QueuedMessage.Origin.ON_PREMISES
                            && accepted.organizationId().equals(context.organizationId())
                            && c.get().type() == ConnectorType.ON_PREMISES;
                    yield backToSender
                            ? new Route.Refuse(LOOP, "InternalRelay recipient " + recipient.key() + " came from the organization's "
                                    + "own servers and would be sent back to them through connector " + c.get().name())
                            : toRoute(c.get(), recipient.domain());
                }
                // a subdomain accepted through matchSubdomains goes where its accepted domain goes
                yield staticRoutes.smartHostsFor(recipient.domain())
                        .or(() -> staticRoutes.smartHostsFor(accepted.domain()))
                        // the node's own route to the organization's servers: the operator may point it at the node itself
                        .<Route>map(hosts -> new Route.ToSmartHost(hosts, TlsPolicy.OPPORTUNISTIC, null, true, false))
                        .orElseGet(() -> new Route.Refuse(UNKNOWN_RECIPIENT, "InternalRelay domain " + accepted.domain()
                                + " has no outbound connector to the organization's servers"));
            }
        };
    }

    private Route external(Domain domain, RoutingContext context) {
        String org = context.organizationId();
        if (org != null) {
            if (context.origin() == QueuedMessage.Origin.SUBMISSION) {
                Optional<OutboundConnector> central = connectors.centralized(org);
                if (central.isPresent()) return toRoute(central.get(), domain);
            }
            Optional<OutboundConnector> c = connectors.select(org, domain, false);
            if (c.isPresent()) return toRoute(c.get(), domain);
        }
        return staticRoutes.smartHostsFor(domain)
                // the node's own relay for external domains (operator's configuration): may be local, leaves the organization
                .<Route>map(hosts -> new Route.ToSmartHost(hosts, TlsPolicy.OPPORTUNISTIC, null, true, true))
                .orElseGet(() -> new Route.ToMx(domain, TlsPolicy.OPPORTUNISTIC));
    }

    private static Route toRoute(OutboundConnector c, Domain domain) {
        TlsPolicy tls = TlsPolicy.of(c);
        boolean leaves = c.type() != ConnectorType.ON_PREMISES;
        return c.useMxRecord() ? new Route.ToMx(domain, tls, c.name(), leaves)
                : new Route.ToSmartHost(c.smartHosts(), tls, c.name(), c.localHopsAllowed(), leaves);
    }
}
