package sluice.core.route;

import sluice.core.mail.Address;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.smtp.Reply;

import java.util.Optional;

/**
 * Recipient to route. Called at RCPT (to decide acceptance) and again at every delivery attempt, so a
 * fixed directory or route drains deferred mail. Never decides relay permission: that is the
 * receiving side's job; a route exists for any syntactically valid address.
 */
public final class Router {

    static final Reply UNKNOWN_RECIPIENT = Reply.of(550, "5.4.1", "Recipient address rejected: Access denied");

    private final Directory directory;
    private final StaticRoutes staticRoutes;

    public Router(Directory directory, StaticRoutes staticRoutes) {
        this.directory = directory;
        this.staticRoutes = staticRoutes;
    }

    /** The accepted domain covering the recipient's domain, if any. */
    public Optional<AcceptedDomain> acceptedDomain(Address recipient) {
        return directory.acceptedDomainFor(recipient.domain());
    }

    public Route route(Address recipient) {
        var mailbox = directory.mailboxFor(recipient);
        if (mailbox.isPresent()) return new Route.ToMailbox(mailbox.get());
        Optional<AcceptedDomain> accepted = directory.acceptedDomainFor(recipient.domain());
        if (accepted.isPresent()) {
            return switch (accepted.get().type()) {
                case AUTHORITATIVE -> new Route.Refuse(UNKNOWN_RECIPIENT,
                        "no mailbox " + recipient.key() + " in Authoritative domain " + accepted.get().domain());
                // a subdomain accepted through matchSubdomains goes where its accepted domain goes
                case INTERNAL_RELAY -> staticRoutes.smartHostsFor(recipient.domain())
                        .or(() -> staticRoutes.smartHostsFor(accepted.get().domain()))
                        .<Route>map(hosts -> new Route.ToSmartHost(hosts, TlsPolicy.OPPORTUNISTIC, null))
                        .orElseGet(() -> new Route.Refuse(UNKNOWN_RECIPIENT,
                                "InternalRelay domain " + accepted.get().domain() + " has no route to the organization's servers"));
            };
        }
        return staticRoutes.smartHostsFor(recipient.domain())
                .<Route>map(hosts -> new Route.ToSmartHost(hosts, TlsPolicy.OPPORTUNISTIC, null))
                .orElseGet(() -> new Route.ToMx(recipient.domain(), TlsPolicy.OPPORTUNISTIC));
    }
}
