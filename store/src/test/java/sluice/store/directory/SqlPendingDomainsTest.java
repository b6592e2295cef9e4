package sluice.store.directory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain.Type;
import sluice.core.org.Directory.Conflict;
import sluice.core.org.Directory.NotFound;
import sluice.core.org.Organization;
import sluice.core.org.PendingDomains;
import sluice.core.org.PendingDomains.PendingDomain;
import sluice.core.org.UnreadableRow;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlPendingDomainsTest {
    @TempDir
    Path dir;
    EmbeddedStore store;
    Organization contoso, fabrikam;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        contoso = store.directory().createOrganization("Contoso", false);
        fabrikam = store.directory().createOrganization("Fabrikam", false);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static PendingDomain pending(String org, String domain) {
        return new PendingDomain("-", org, Domain.of(domain), Type.INTERNAL_RELAY, true, "0123abcd", Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void pendingDomainsSurviveARestartAndAreNotAcceptedDomains() {
        PendingDomain created = store.pendingDomains().create(pending(contoso.id(), "contoso.example"));
        store.pendingDomains().create(pending(fabrikam.id(), "contoso.example")); // another organization may claim it too

        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        assertThat(store.pendingDomains().pending(contoso.id())).containsExactly(created);
        assertThat(store.pendingDomains().pendingDomain(created.id())).contains(created);
        assertThat(store.directory().acceptedDomainFor(Domain.of("contoso.example"))).isEmpty();

        store.pendingDomains().delete(created.id());
        assertThat(store.pendingDomains().pending(contoso.id())).isEmpty();
        assertThatThrownBy(() -> store.pendingDomains().delete(created.id())).isInstanceOf(NotFound.class);
    }

    @Test
    void oneClaimPerDomainAndOrganizationWithinALimitAndOnlyForAnExistingOrganization() {
        PendingDomains p = store.pendingDomains();
        p.create(pending(contoso.id(), "a.example"));
        assertThatThrownBy(() -> p.create(pending(contoso.id(), "a.example"))).isInstanceOf(Conflict.class);
        for (int i = 1; i < PendingDomains.MAX_PER_ORGANIZATION; i++) p.create(pending(contoso.id(), "d" + i + ".example"));
        assertThatThrownBy(() -> p.create(pending(contoso.id(), "one-more.example"))).isInstanceOf(Conflict.class)
                .hasMessageContaining("pending verification");
        assertThatThrownBy(() -> p.create(pending("no-such-org", "x.example"))).isInstanceOf(NotFound.class);
    }

    @Test
    void anOrganizationWithPendingDomainsIsNotDeletedBySurprise() {
        PendingDomain d = store.pendingDomains().create(pending(fabrikam.id(), "fabrikam.example"));
        assertThatThrownBy(() -> store.directory().deleteOrganization(fabrikam.id())).isInstanceOf(Conflict.class)
                .hasMessageContaining("pending domain");
        store.pendingDomains().delete(d.id());
        store.directory().deleteOrganization(fabrikam.id());
    }

    @Test
    void aStoredDomainTheMappingNowRefusesIsListedAsUnreadableUntilDeleted() throws Exception {
        PendingDomain kept = store.pendingDomains().create(pending(contoso.id(), "contoso.example"));
        writtenByAnOlderVersion(fabrikam.id());
        assertThat(store.pendingDomains().pending(contoso.id())).containsExactly(kept);
        assertThat(store.pendingDomains().pending(fabrikam.id())).isEmpty();
        assertThat(store.pendingDomains().pendingDomain("old")).isEmpty();
        assertThat(store.pendingDomains().unreadable())
                .containsExactly(new UnreadableRow("old", fabrikam.id(), "a\u00b7b.example", "invalid domain: a\u00b7b.example"));
        assertThatThrownBy(() -> store.directory().deleteOrganization(fabrikam.id())).isInstanceOf(Conflict.class)
                .hasMessageContaining("pending domain");

        store.pendingDomains().delete("old");
        assertThat(store.pendingDomains().unreadable()).isEmpty();
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        assertThat(store.pendingDomains().unreadable()).as("deleted from the database").isEmpty();
        store.directory().deleteOrganization(fabrikam.id());
    }

    @Test
    void aNameHeldByAnUnreadablePendingDomainIsAConflictNamingIt() throws Exception {
        store.close();
        try (java.sql.Connection c = sluice.store.Fixtures.rawConnection(dir); java.sql.PreparedStatement s = c.prepareStatement(
                "INSERT INTO pending_domains (id, organization_id, domain, type, match_subdomains, token, created_at)"
                        + " VALUES ('old', ?, 'contoso.example', 'EXTERNAL_RELAY', 0, '0123abcd', 0)")) {
            s.setString(1, contoso.id()); // a readable name, a type this version no longer has
            s.executeUpdate();
        }
        store = EmbeddedStore.open(dir, InstantSource.system());
        assertThat(store.pendingDomains().unreadable()).extracting(UnreadableRow::id).containsExactly("old");

        assertThatThrownBy(() -> store.pendingDomains().create(pending(contoso.id(), "contoso.example"))).isInstanceOf(Conflict.class)
                .hasMessageStartingWith("contoso.example is already pending verification in this organization as the pending domain old,"
                        + " stored by an older version, which could not be read when the server started (");
        assertThat(store.pendingDomains().create(pending(fabrikam.id(), "contoso.example")).organizationId())
                .as("another organization's claim").isEqualTo(fabrikam.id());

        store.pendingDomains().delete("old");
        assertThat(store.pendingDomains().create(pending(contoso.id(), "contoso.example")).organizationId()).isEqualTo(contoso.id());
    }

    /** A pending domain with a name once stored and now refused, inserted as an older version wrote it; the store reopened. */
    private void writtenByAnOlderVersion(String organizationId) throws Exception {
        store.close();
        try (java.sql.Connection c = sluice.store.Fixtures.rawConnection(dir); java.sql.PreparedStatement s = c.prepareStatement(
                "INSERT INTO pending_domains (id, organization_id, domain, type, match_subdomains, token, created_at)"
                        + " VALUES ('old', ?, ?, 'INTERNAL_RELAY', 0, '0123abcd', 0)")) {
            s.setString(1, organizationId);
            s.setString(2, "a\u00b7b.example"); // a middle dot out of its context (CONTEXTO): once stored, now refused
            s.executeUpdate();
        }
        store = EmbeddedStore.open(dir, InstantSource.system());
    }
}
