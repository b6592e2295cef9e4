package sluice.core.route;

import org.junit.jupiter.api.Test;
import sluice.core.connector.OutboundSelector;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain.Type;
import sluice.core.org.Mailbox;
import sluice.core.testing.MemoryConnectors;
import sluice.core.testing.MemoryDirectory;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mailbox receives mail for an address only while the accepted domain covering it is its own organization's (or
 * there is none): a mailbox left in a name another organization has since taken must not get that organization's mail.
 */
class RouterMailboxOwnershipTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final Router router = new Router(directory, new OutboundSelector(new MemoryConnectors()), new StaticRoutes(Map.of()));
    private final String contoso = directory.createOrganization("Contoso", false).id();
    private final String fabrikam = directory.createOrganization("Fabrikam", false).id();

    private Mailbox mailbox(String organizationId, String address) {
        return directory.createMailbox(new Mailbox("", organizationId, Address.parse(address), List.of(), "Ann", null, 0));
    }

    private Route route(String recipient) {
        return router.route(Address.parse(recipient), RoutingContext.INTERNET);
    }

    @Test
    void aMailboxInAnotherOrganizationsDomainIsNotRoutedTo() {
        mailbox(contoso, "ann@relay.example");
        mailbox(contoso, "bob@sub.wide.example");
        directory.createAcceptedDomain(fabrikam, Domain.of("relay.example"), Type.AUTHORITATIVE, false);
        directory.createAcceptedDomain(fabrikam, Domain.of("wide.example"), Type.INTERNAL_RELAY, true);

        assertThat(route("ann@relay.example")).as("Fabrikam's Authoritative domain has no mailbox ann")
                .isInstanceOfSatisfying(Route.Refuse.class, r -> assertThat(r.reply()).isEqualTo(Router.UNKNOWN_RECIPIENT));
        assertThat(route("bob@sub.wide.example")).as("Fabrikam's InternalRelay domain, without a way to its servers")
                .isInstanceOfSatisfying(Route.Refuse.class, r -> assertThat(r.reason()).contains("InternalRelay domain wide.example"));
    }

    @Test
    void aMailboxInItsOwnDomainOrAParentThatMatchesSubdomainsOrNoneIsRoutedTo() {
        Mailbox ann = mailbox(contoso, "ann@contoso.example");
        Mailbox bob = mailbox(contoso, "bob@sub.relay.example");
        Mailbox cat = mailbox(contoso, "cat@unlisted.example");
        directory.createAcceptedDomain(contoso, Domain.of("contoso.example"), Type.AUTHORITATIVE, false);
        directory.createAcceptedDomain(contoso, Domain.of("relay.example"), Type.INTERNAL_RELAY, true);

        assertThat(route("ann@contoso.example")).isEqualTo(new Route.ToMailbox(ann));
        assertThat(route("bob@sub.relay.example")).isEqualTo(new Route.ToMailbox(bob));
        assertThat(route("cat@unlisted.example")).isEqualTo(new Route.ToMailbox(cat));
    }
}
