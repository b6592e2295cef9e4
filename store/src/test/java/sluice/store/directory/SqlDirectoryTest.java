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
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlDirectoryTest {
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
        fabrikam = directory.createOrganization("Fabrikam", true);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void reopen() {
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        directory = store.directory();
    }

    private Mailbox mailbox(Organization org, String address, String... aliases) {
        return new Mailbox("", org.id(), Address.parse(address), List.of(aliases).stream().map(Address::parse).toList(),
                "Display " + address, "$argon2id$hash", 1_000_000);
    }

    @Test
    void organizationsAreCreatedListedUpdatedDeletedAndPersist() {
        assertThat(contoso.id()).matches("[0-9a-f-]{36}");
        Organization renamed = directory.updateOrganization(new Organization(contoso.id(), "Contoso Ltd", true));
        reopen();
        assertThat(directory.organizations()).containsExactly(renamed, fabrikam);
        assertThat(directory.organization(contoso.id())).contains(renamed);
        directory.deleteOrganization(fabrikam.id());
        reopen();
        assertThat(directory.organizations()).containsExactly(renamed);
    }

    @Test
    void organizationNamesAreUniqueRegardlessOfCase() {
        assertThatThrownBy(() -> directory.createOrganization("CONTOSO", false)).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> directory.updateOrganization(new Organization(fabrikam.id(), "contoso", false))).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> directory.updateOrganization(new Organization("nope", "X", false))).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> directory.deleteOrganization("nope")).isInstanceOf(NotFound.class);
    }

    @Test
    void anOrganizationWithDomainsCannotBeDeleted() {
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.AUTHORITATIVE, false);
        assertThatThrownBy(() -> directory.deleteOrganization(contoso.id()))
                .isInstanceOf(Conflict.class).hasMessageContaining("1 accepted domain(s)");
    }

    @Test
    void acceptedDomainsAreUniqueAcrossTheDeployment() {
        AcceptedDomain d = directory.createAcceptedDomain(contoso.id(), Domain.of("Contoso.COM"), Type.AUTHORITATIVE, false);
        assertThatThrownBy(() -> directory.createAcceptedDomain(fabrikam.id(), Domain.of("contoso.com"), Type.INTERNAL_RELAY, false))
                .isInstanceOf(Conflict.class).hasMessageContaining("another organization");
        assertThatThrownBy(() -> directory.createAcceptedDomain("nope", Domain.of("x.com"), Type.AUTHORITATIVE, false))
                .isInstanceOf(NotFound.class);
        reopen();
        assertThat(directory.acceptedDomains(contoso.id())).containsExactly(d);
        assertThat(directory.acceptedDomain(d.id())).contains(d);
        assertThat(directory.acceptedDomains(fabrikam.id())).isEmpty();
    }

    @Test
    void acceptedDomainForMatchesExactlyThenInternalRelayParentsWithSubdomains() {
        AcceptedDomain auth = directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.AUTHORITATIVE, false);
        AcceptedDomain relay = directory.createAcceptedDomain(fabrikam.id(), Domain.of("fabrikam.com"), Type.INTERNAL_RELAY, true);
        AcceptedDomain plain = directory.createAcceptedDomain(fabrikam.id(), Domain.of("fabrikam.net"), Type.INTERNAL_RELAY, false);
        AcceptedDomain sub = directory.createAcceptedDomain(contoso.id(), Domain.of("eu.fabrikam.com"), Type.AUTHORITATIVE, false);

        assertThat(directory.acceptedDomainFor(Domain.of("CONTOSO.com"))).contains(auth);
        assertThat(directory.acceptedDomainFor(Domain.of("mail.contoso.com"))).isEmpty();
        assertThat(directory.acceptedDomainFor(Domain.of("a.b.fabrikam.com"))).contains(relay);
        assertThat(directory.acceptedDomainFor(Domain.of("eu.fabrikam.com"))).contains(sub);
        assertThat(directory.acceptedDomainFor(Domain.of("x.eu.fabrikam.com"))).contains(relay);
        assertThat(directory.acceptedDomainFor(Domain.of("x.fabrikam.net"))).isEmpty();
        assertThat(directory.acceptedDomainFor(Domain.of("fabrikam.net"))).contains(plain);
        assertThat(directory.acceptedDomainFor(Domain.of("com"))).isEmpty();
    }

    @Test
    void updatingAndDeletingADomainChangesLookupsAtOnce() {
        AcceptedDomain d = directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.INTERNAL_RELAY, false);
        assertThat(directory.acceptedDomainFor(Domain.of("a.contoso.com"))).isEmpty();
        AcceptedDomain wide = directory.updateAcceptedDomain(new AcceptedDomain(d.id(), contoso.id(), d.domain(), Type.INTERNAL_RELAY, true));
        assertThat(directory.acceptedDomainFor(Domain.of("a.contoso.com"))).contains(wide);
        AcceptedDomain renamed = directory.updateAcceptedDomain(new AcceptedDomain(d.id(), contoso.id(), Domain.of("contoso.org"), Type.AUTHORITATIVE, false));
        assertThat(directory.acceptedDomainFor(Domain.of("contoso.com"))).isEmpty();
        assertThat(directory.acceptedDomainFor(Domain.of("contoso.org"))).contains(renamed);
        assertThatThrownBy(() -> directory.updateAcceptedDomain(new AcceptedDomain(d.id(), fabrikam.id(), d.domain(), Type.AUTHORITATIVE, false)))
                .isInstanceOf(IllegalArgumentException.class);
        directory.deleteAcceptedDomain(d.id());
        assertThat(directory.acceptedDomainFor(Domain.of("contoso.org"))).isEmpty();
        assertThatThrownBy(() -> directory.deleteAcceptedDomain(d.id())).isInstanceOf(NotFound.class);
        reopen();
        assertThat(directory.acceptedDomains(contoso.id())).isEmpty();
    }

    @Test
    void mailboxesAreFoundByPrimaryAddressOrAliasCaseInsensitively() {
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.AUTHORITATIVE, false);
        Mailbox m = directory.createMailbox(mailbox(contoso, "Alice.Smith@contoso.com", "alice@contoso.com", "asmith@CONTOSO.com"));
        assertThat(m.id()).matches("[0-9a-f-]{36}");
        reopen();
        assertThat(directory.mailbox(m.id())).contains(m);
        assertThat(directory.mailboxFor(Address.parse("alice.smith@Contoso.com"))).contains(m);
        assertThat(directory.mailboxFor(Address.parse("ASMITH@contoso.com"))).contains(m);
        assertThat(directory.mailboxFor(Address.parse("bob@contoso.com"))).isEmpty();
        assertThat(directory.mailboxes(contoso.id())).containsExactly(m);
    }

    @Test
    void addressesAreUniqueAcrossPrimariesAndAliasesOfAllMailboxes() {
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.AUTHORITATIVE, false);
        Mailbox alice = directory.createMailbox(mailbox(contoso, "alice@contoso.com", "info@contoso.com"));
        assertThatThrownBy(() -> directory.createMailbox(mailbox(contoso, "INFO@contoso.com"))).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> directory.createMailbox(mailbox(contoso, "bob@contoso.com", "Alice@contoso.com"))).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> directory.createMailbox(mailbox(contoso, "bob@contoso.com", "bob@contoso.com")))
                .isInstanceOf(IllegalArgumentException.class);
        Mailbox bob = directory.createMailbox(mailbox(contoso, "bob@contoso.com"));
        assertThatThrownBy(() -> directory.updateMailbox(new Mailbox(bob.id(), contoso.id(), bob.address(),
                List.of(Address.parse("info@contoso.com")), null, null, 0))).isInstanceOf(Conflict.class);
        assertThat(directory.mailboxFor(Address.parse("info@contoso.com"))).contains(alice);
    }

    @Test
    void updatingAMailboxMovesItsAddressesInTheCache() {
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.AUTHORITATIVE, false);
        Mailbox m = directory.createMailbox(mailbox(contoso, "alice@contoso.com", "old@contoso.com", "kept@contoso.com"));
        Mailbox changed = directory.updateMailbox(new Mailbox(m.id(), contoso.id(), Address.parse("alice@contoso.com"),
                List.of(Address.parse("kept@contoso.com"), Address.parse("new@contoso.com")), "Alice", null, 500));
        assertThat(directory.mailboxFor(Address.parse("old@contoso.com"))).isEmpty();
        assertThat(directory.mailboxFor(Address.parse("kept@contoso.com"))).contains(changed);
        assertThat(directory.mailboxFor(Address.parse("new@contoso.com"))).contains(changed);
        // the freed alias can be taken by another mailbox
        directory.createMailbox(mailbox(contoso, "old@contoso.com"));
        reopen();
        assertThat(directory.mailbox(m.id())).contains(changed);
        assertThat(directory.mailboxFor(Address.parse("old@contoso.com")).orElseThrow().id()).isNotEqualTo(m.id());
        directory.deleteMailbox(m.id());
        assertThat(directory.mailboxFor(Address.parse("kept@contoso.com"))).isEmpty();
        assertThatThrownBy(() -> directory.deleteMailbox(m.id())).isInstanceOf(NotFound.class);
        assertThatThrownBy(() -> directory.updateMailbox(changed)).isInstanceOf(NotFound.class);
    }

    @Test
    void aMailboxCannotClaimAnotherOrganizationsDomain() {
        directory.createAcceptedDomain(contoso.id(), Domain.of("contoso.com"), Type.AUTHORITATIVE, false);
        directory.createAcceptedDomain(fabrikam.id(), Domain.of("fabrikam.com"), Type.INTERNAL_RELAY, true);
        assertThatThrownBy(() -> directory.createMailbox(mailbox(fabrikam, "ceo@contoso.com")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not in an accepted domain");
        assertThatThrownBy(() -> directory.createMailbox(mailbox(contoso, "x@unknown.org"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(directory.createMailbox(mailbox(fabrikam, "x@eu.fabrikam.com")).address().toString()).isEqualTo("x@eu.fabrikam.com");
    }

    @Test
    void aDomainInUseByMailboxesCannotBeRemovedOrNarrowed() {
        AcceptedDomain d = directory.createAcceptedDomain(fabrikam.id(), Domain.of("fabrikam.com"), Type.INTERNAL_RELAY, true);
        directory.createMailbox(mailbox(fabrikam, "x@eu.fabrikam.com"));
        assertThatThrownBy(() -> directory.deleteAcceptedDomain(d.id())).isInstanceOf(Conflict.class);
        assertThatThrownBy(() -> directory.updateAcceptedDomain(new AcceptedDomain(d.id(), fabrikam.id(), d.domain(), Type.AUTHORITATIVE, false)))
                .isInstanceOf(Conflict.class).hasMessageContaining("x@eu.fabrikam.com");
        assertThat(directory.acceptedDomainFor(Domain.of("eu.fabrikam.com"))).contains(d);
    }

    @Test
    void concurrentCreatesOfTheSameDomainYieldExactlyOneWinner() throws Exception {
        List<Organization> orgs = List.of(contoso, fabrikam);
        java.util.concurrent.atomic.AtomicInteger wins = new java.util.concurrent.atomic.AtomicInteger(), conflicts = new java.util.concurrent.atomic.AtomicInteger();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                Organization org = orgs.get(i % 2);
                pool.submit(() -> {
                    try {
                        directory.createAcceptedDomain(org.id(), Domain.of("race.example"), Type.AUTHORITATIVE, false);
                        wins.incrementAndGet();
                    } catch (Conflict e) {
                        conflicts.incrementAndGet();
                    }
                });
            }
        }
        assertThat(wins.get()).isEqualTo(1);
        assertThat(conflicts.get()).isEqualTo(19);
        reopen();
        assertThat(directory.acceptedDomainFor(Domain.of("race.example"))).isPresent();
    }
}
