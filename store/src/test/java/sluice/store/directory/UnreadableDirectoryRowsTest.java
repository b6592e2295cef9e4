package sluice.store.directory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.AcceptedDomain.Type;
import sluice.core.org.Directory;
import sluice.core.org.Directory.Conflict;
import sluice.core.org.Directory.NotFound;
import sluice.core.org.Mailbox;
import sluice.core.org.Organization;
import sluice.core.org.UnreadableRow;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Accepted domains, mailboxes and aliases an older version stored under a name the stricter reading refuses
 * ({@code a·b.example}: a middle dot out of its context) are kept out of what mail is routed by, yet listed, counted
 * against their organization's deletion, named by the conflict when what they hold is added again, and deletable.
 */
class UnreadableDirectoryRowsTest {
    private static final String REFUSED = "a\u00b7b.example";
    private static final String REFUSAL = "invalid domain: " + REFUSED;

    @TempDir
    Path dir;
    EmbeddedStore store;
    Directory directory;
    Organization contoso, fabrikam;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        directory = store.directory();
        contoso = directory.createOrganization("Contoso", false);
        fabrikam = directory.createOrganization("Fabrikam", false);
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.example"), Type.AUTHORITATIVE, false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anUnreadableAcceptedDomainIsListedNeverRoutedToAndDeletable() throws Exception {
        // an older version's Authoritative domain with matchSubdomains, which only InternalRelay domains have now
        writtenByAnOlderVersion("INSERT INTO accepted_domains (id, organization_id, domain, type, match_subdomains)"
                + " VALUES ('old-domain', ?, ?, 'AUTHORITATIVE', 0), ('old-relay', ?, 'relay.example', 'AUTHORITATIVE', 1)",
                contoso.id(), REFUSED, contoso.id());
        assertThat(directory.acceptedDomains(contoso.id())).extracting(d -> d.domain().name()).containsExactly("contoso.example");
        assertThat(directory.acceptedDomainFor(Domain.of("relay.example"))).isEmpty();
        assertThat(directory.unreadableDomains()).containsExactly(new UnreadableRow("old-domain", contoso.id(), REFUSED, REFUSAL),
                new UnreadableRow("old-relay", contoso.id(), "relay.example", "matchSubdomains applies only to InternalRelay domains"));
        assertThatThrownBy(() -> directory.deleteOrganization(contoso.id())).isInstanceOf(Conflict.class)
                .hasMessageContaining("3 accepted domain(s)");

        // the name it holds is named by the conflict, not refused by the database's unique index
        assertThatThrownBy(() -> directory.createAcceptedDomain(contoso.id(), Domain.of("relay.example"), Type.INTERNAL_RELAY, true))
                .isInstanceOf(Conflict.class).hasMessage("relay.example is held by the accepted domain old-relay, stored by an older"
                        + " version, which could not be read when the server started (matchSubdomains applies only to InternalRelay"
                        + " domains); delete it first");
        assertThatThrownBy(() -> directory.createAcceptedDomain(fabrikam.id(), Domain.of("relay.example"), Type.AUTHORITATIVE, false))
                .isInstanceOf(Conflict.class).hasMessageContaining("another organization").hasMessageNotContaining("old-relay");

        directory.deleteAcceptedDomain("old-relay");
        directory.deleteAcceptedDomain("old-domain");
        assertThat(directory.unreadableDomains()).isEmpty();
        directory.createAcceptedDomain(contoso.id(), Domain.of("relay.example"), Type.INTERNAL_RELAY, true);
        reopen();
        assertThat(directory.unreadableDomains()).as("deleted from the database").isEmpty();
        assertThat(directory.acceptedDomainFor(Domain.of("sub.relay.example"))).isPresent();
    }

    @Test
    void anUnreadableMailboxIsListedNeverRoutedToHoldsItsAddressesAndIsDeletable() throws Exception {
        writtenByAnOlderVersion("INSERT INTO mailboxes (id, organization_id, address, display_name, password_hash, quota_bytes)"
                + " VALUES ('old-box', ?, ?, 'Ann', NULL, 0)", contoso.id(), "ann@" + REFUSED);
        writtenByAnOlderVersion("INSERT INTO mailbox_addresses (address_key, mailbox_id, address, position) VALUES (?, 'old-box', ?, 0),"
                + " ('ann@contoso.example', 'old-box', 'ann@contoso.example', 1)", "ann@" + REFUSED, "ann@" + REFUSED);
        assertThat(directory.mailboxes(contoso.id())).isEmpty();
        assertThat(directory.mailboxFor(Address.parse("ann@contoso.example"))).as("never routed to").isEmpty();
        assertThat(directory.unreadableMailboxes()).containsExactly(new UnreadableRow("old-box", contoso.id(), "ann@" + REFUSED, REFUSAL));
        assertThatThrownBy(() -> directory.deleteOrganization(contoso.id())).isInstanceOf(Conflict.class)
                .hasMessageContaining("1 mailbox(es)");

        assertThatThrownBy(() -> directory.createMailbox(mailbox("ann@contoso.example"))).isInstanceOf(Conflict.class)
                .hasMessage("address ann@contoso.example is held by the mailbox old-box, stored by an older version, which could not be"
                        + " read when the server started (" + REFUSAL + "); delete it first");

        directory.deleteMailbox("old-box");
        assertThat(directory.unreadableMailboxes()).isEmpty();
        Mailbox ann = directory.createMailbox(mailbox("ann@contoso.example"));
        reopen();
        assertThat(directory.unreadableMailboxes()).as("deleted from the database").isEmpty();
        assertThat(directory.mailboxFor(Address.parse("ann@contoso.example"))).contains(ann);
        assertThat(count("SELECT count(*) FROM mailbox_addresses WHERE mailbox_id = 'old-box'")).isZero();
    }

    @Test
    void anUnreadableAliasIsListedWithItsMailboxKeptWhenTheMailboxChangesAndDeletableOnItsOwn() throws Exception {
        Mailbox bob = directory.createMailbox(mailbox("bob@contoso.example", "robert@contoso.example"));
        writtenByAnOlderVersion("INSERT INTO mailbox_addresses (address_key, mailbox_id, address, position) VALUES (?, ?, ?, 2)",
                "bob@" + REFUSED, bob.id(), "Bob@" + REFUSED);
        assertThat(directory.mailbox(bob.id())).contains(bob);
        assertThat(directory.unreadableAliases(bob.id())).containsExactly(new UnreadableRow("bob@" + REFUSED, contoso.id(),
                "Bob@" + REFUSED, REFUSAL));
        assertThatThrownBy(() -> directory.deleteUnreadableAlias("another", "bob@" + REFUSED)).isInstanceOf(NotFound.class);

        Mailbox changed = directory.updateMailbox(new Mailbox(bob.id(), contoso.id(), bob.address(), List.of(), "Bob", null, 0));
        reopen();
        assertThat(directory.mailbox(bob.id())).contains(changed);
        assertThat(directory.unreadableAliases(bob.id())).as("kept by the change").hasSize(1);

        directory.deleteUnreadableAlias(bob.id(), "bob@" + REFUSED);
        assertThat(directory.unreadableAliases(bob.id())).isEmpty();
        reopen();
        assertThat(directory.unreadableAliases(bob.id())).isEmpty();
        assertThat(directory.mailbox(bob.id())).contains(changed);
    }

    @Test
    void anUnreadableDomainIsNotDeletedWhileReadableAddressesItAloneCoveredRemain() throws Exception {
        AcceptedDomain relay = directory.createAcceptedDomain(contoso.id(), Domain.of("relay.example"), Type.INTERNAL_RELAY, true);
        directory.createAcceptedDomain(contoso.id(), Domain.of("covered.relay.example"), Type.AUTHORITATIVE, false);
        Mailbox ann = directory.createMailbox(mailbox("ann@relay.example"));
        Mailbox bob = directory.createMailbox(mailbox("bob@sub.relay.example")); // through matchSubdomains
        Mailbox cat = directory.createMailbox(mailbox("cat@contoso.example", "cat@relay.example"));
        directory.createMailbox(mailbox("dan@covered.relay.example")); // covered by a readable domain of its own
        // readable by its name, unreadable by what it is: an older version's Authoritative domain with matchSubdomains
        writtenByAnOlderVersion("UPDATE accepted_domains SET type = 'AUTHORITATIVE' WHERE id = ?", relay.id());
        assertThat(directory.unreadableDomains()).extracting(UnreadableRow::id).containsExactly(relay.id());
        assertThat(directory.mailboxFor(Address.parse("ann@relay.example"))).as("still read").contains(ann);

        String refused = "removing the accepted domain " + relay.id() + " (relay.example) would leave address ";
        assertThatThrownBy(() -> directory.deleteAcceptedDomain(relay.id())).isInstanceOf(Conflict.class)
                .hasMessage(refused + "ann@relay.example of mailbox " + ann.id() + " without an accepted domain");
        directory.deleteMailbox(ann.id());
        assertThatThrownBy(() -> directory.deleteAcceptedDomain(relay.id())).isInstanceOf(Conflict.class)
                .hasMessageStartingWith(refused + "bob@sub.relay.example");
        directory.deleteMailbox(bob.id());
        assertThatThrownBy(() -> directory.deleteAcceptedDomain(relay.id())).isInstanceOf(Conflict.class)
                .hasMessageStartingWith(refused + "cat@relay.example");
        directory.updateMailbox(new Mailbox(cat.id(), contoso.id(), cat.address(), List.of(), "Cat", null, 0));

        directory.deleteAcceptedDomain(relay.id());
        assertThat(directory.unreadableDomains()).isEmpty();
        directory.createAcceptedDomain(fabrikam.id(), Domain.of("relay.example"), Type.AUTHORITATIVE, false);
        assertThat(directory.mailboxFor(Address.parse("ann@relay.example"))).isEmpty();
    }

    private static final String ELSEWHERE = " would cover addresses the directory holds elsewhere; an operator must remove them first";

    @Test
    void aDomainHoldingAnotherOrganizationsAddressesIsNotItsToTake() throws Exception {
        AcceptedDomain mail = directory.createAcceptedDomain(contoso.id(), Domain.of("mail.relay.example"), Type.AUTHORITATIVE, false);
        Mailbox ann = directory.createMailbox(mailbox("ann@mail.relay.example"));
        // a mailbox left without its domain, as another node or an older version may have left it
        writtenByAnOlderVersion("DELETE FROM accepted_domains WHERE id = ?", mail.id());
        assertThat(directory.mailboxFor(Address.parse("ann@mail.relay.example"))).contains(ann);

        assertThatThrownBy(() -> directory.createAcceptedDomain(fabrikam.id(), Domain.of("mail.relay.example"), Type.AUTHORITATIVE, false))
                .isInstanceOf(Conflict.class).hasMessage("mail.relay.example" + ELSEWHERE);
        assertThatThrownBy(() -> directory.createAcceptedDomain(fabrikam.id(), Domain.of("relay.example"), Type.INTERNAL_RELAY, true))
                .as("its subdomains through matchSubdomains").isInstanceOf(Conflict.class)
                .hasMessage("relay.example" + ELSEWHERE);
        AcceptedDomain parent = directory.createAcceptedDomain(fabrikam.id(), Domain.of("relay.example"), Type.INTERNAL_RELAY, false);
        assertThatThrownBy(() -> directory.updateAcceptedDomain(new AcceptedDomain(parent.id(), fabrikam.id(), parent.domain(),
                Type.INTERNAL_RELAY, true))).isInstanceOf(Conflict.class);

        directory.createAcceptedDomain(contoso.id(), Domain.of("mail.relay.example"), Type.AUTHORITATIVE, false);
        directory.updateAcceptedDomain(new AcceptedDomain(parent.id(), fabrikam.id(), parent.domain(), Type.INTERNAL_RELAY, true));
        assertThat(directory.acceptedDomainFor(Domain.of("mail.relay.example")).orElseThrow().organizationId())
                .as("the nearer name is Contoso's").isEqualTo(contoso.id());
    }

    /**
     * Another organization's mailbox already under a domain (as an older version may have left it) does not stop the
     * domain's owner from changing it, as long as the change covers no more of those addresses.
     */
    @Test
    void theOwnerOfADomainAStaleMailboxLiesInMayStillChangeWhatItAlreadyCovers() throws Exception {
        AcceptedDomain relay = directory.createAcceptedDomain(contoso.id(), Domain.of("relay.example"), Type.AUTHORITATIVE, false);
        AcceptedDomain sub = directory.createAcceptedDomain(contoso.id(), Domain.of("sub.relay.example"), Type.AUTHORITATIVE, false);
        directory.createMailbox(mailbox("ann@relay.example"));
        directory.createMailbox(mailbox("bob@sub.relay.example"));
        writtenByAnOlderVersion("DELETE FROM accepted_domains WHERE id = ?", sub.id());
        writtenByAnOlderVersion("UPDATE accepted_domains SET organization_id = ? WHERE id = ?", fabrikam.id(), relay.id());

        AcceptedDomain relayType = new AcceptedDomain(relay.id(), fabrikam.id(), relay.domain(), Type.INTERNAL_RELAY, false);
        assertThat(directory.updateAcceptedDomain(relayType)).as("the same name, the same coverage").isEqualTo(relayType);
        assertThatThrownBy(() -> directory.updateAcceptedDomain(new AcceptedDomain(relay.id(), fabrikam.id(), relay.domain(),
                Type.INTERNAL_RELAY, true))).as("newly covering sub.relay.example").isInstanceOf(Conflict.class)
                .hasMessage("relay.example" + ELSEWHERE);
    }

    private Mailbox mailbox(String address, String... aliases) {
        return new Mailbox("", contoso.id(), Address.parse(address), List.of(aliases).stream().map(Address::parse).toList(),
                "Display", null, 0);
    }

    /** Runs {@code sql} as a version that read names less strictly would have, the store closed; then reopens it. */
    private void writtenByAnOlderVersion(String sql, String... args) throws Exception {
        store.close();
        try (Connection c = Fixtures.rawConnection(dir); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setString(i + 1, args[i]);
            s.executeUpdate();
        }
        store = EmbeddedStore.open(dir, InstantSource.system());
        directory = store.directory();
    }

    private void reopen() {
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        directory = store.directory();
    }

    private int count(String sql) throws Exception {
        store.close();
        try (Connection c = Fixtures.rawConnection(dir); PreparedStatement s = c.prepareStatement(sql); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } finally {
            store = EmbeddedStore.open(dir, InstantSource.system());
            directory = store.directory();
        }
    }
}
