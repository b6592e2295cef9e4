package sluice.store.dkim;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKey;
import sluice.core.org.Mailbox;
import sluice.core.org.UnreadableRow;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlDkimSigningKeysTest {

    private static final Domain CONTOSO = Domain.of("contoso.example");
    /** A middle dot out of its context (CONTEXTO): a name once stored, now refused. */
    private static final String REFUSED = "a\u00b7b.example";

    @TempDir
    Path dir;

    private EmbeddedStore store;
    private String org;
    private String domainId;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        org = store.directory().createOrganization("Contoso", false).id();
        domainId = store.directory().createAcceptedDomain(org, CONTOSO, AcceptedDomain.Type.AUTHORITATIVE, false).id();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** A key row as an older version wrote it (selector "old"), with the store closed meanwhile. */
    private void writtenByAnOlderVersion(String id, String organizationId, String domain, boolean enabled) throws Exception {
        writtenByAnOlderVersion(id, organizationId, domain, "old", enabled);
    }

    private void writtenByAnOlderVersion(String id, String organizationId, String domain, String selector, boolean enabled)
            throws Exception {
        writtenByAnOlderVersion("INSERT INTO dkim_keys (id, organization_id, domain, selector, key_type, private_key, dns_record,"
                + " enabled, created_at) VALUES (?, ?, ?, ?, 'ED25519', 'pem', 'v=DKIM1; p=AA==', ?, 0)",
                id, organizationId, domain, selector, enabled ? 1 : 0);
    }

    /** Runs {@code sql} with {@code args} as an older version would have, the store closed; then reopens it. */
    private void writtenByAnOlderVersion(String sql, Object... args) throws Exception {
        store.close();
        try (Connection c = Fixtures.rawConnection(dir); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            s.executeUpdate();
        }
        store = EmbeddedStore.open(dir, InstantSource.system());
    }

    private void reopen() {
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
    }

    private static DkimSigningKey key(String org, Domain domain, String selector, boolean enabled, Instant created) {
        return new DkimSigningKey("", org, domain, selector, "ED25519",
                "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n", "v=DKIM1; k=ed25519; p=AA==",
                enabled, created);
    }

    private DkimSigningKey key(String selector, boolean enabled, Instant created) {
        return key(org, CONTOSO, selector, enabled, created);
    }

    @Test
    void theNewestEnabledKeySignsAndEverythingSurvivesARestart() {
        var keys = store.dkimKeys();
        String oldId = keys.create(key("s202611", true, Instant.parse("2026-11-01T00:00:00Z"))).id();
        keys.create(key("s202612", true, Instant.parse("2026-12-01T00:00:00Z")));
        assertThat(keys.activeFor(org, CONTOSO)).map(DkimSigningKey::selector).contains("s202612");
        assertThat(keys.activeFor(org, Domain.of("other.example"))).isEmpty();
        assertThat(keys.activeFor("another-org", CONTOSO)).as("only the organization's own keys").isEmpty();
        assertThatThrownBy(() -> keys.create(key("s202612", false, Instant.now()))).isInstanceOf(Directory.Conflict.class);

        reopen();
        var reopened = store.dkimKeys();
        assertThat(reopened.keys(org)).extracting(DkimSigningKey::selector).containsExactly("s202611", "s202612");
        var newest = reopened.activeFor(org, CONTOSO).orElseThrow();
        reopened.update(newest.withEnabled(false));
        assertThat(reopened.activeFor(org, CONTOSO)).map(DkimSigningKey::id).contains(oldId);
        reopened.delete(oldId);
        assertThat(reopened.activeFor(org, CONTOSO)).isEmpty();
        assertThatThrownBy(() -> reopened.delete(oldId)).isInstanceOf(Directory.NotFound.class);
    }

    /**
     * The domain may go to another organization next; keys left behind would let the former owner
     * sign as it (where the old record is still published) and hold its selectors.
     */
    @Test
    void deletingAnAcceptedDomainDeletesItsOrganizationsKeysForItWithIt() {
        String other = store.directory().createAcceptedDomain(org, Domain.of("contoso.test"), AcceptedDomain.Type.AUTHORITATIVE, false).id();
        store.dkimKeys().create(key("s1", true, Instant.parse("2026-11-01T00:00:00Z")));
        store.dkimKeys().create(key("s2", false, Instant.parse("2026-11-02T00:00:00Z")));
        DkimSigningKey kept = store.dkimKeys().create(key(org, Domain.of("contoso.test"), "s1", true, Instant.parse("2026-11-03T00:00:00Z")));

        store.directory().deleteAcceptedDomain(domainId);

        assertThat(store.dkimKeys().keys(org)).containsExactly(kept);
        assertThat(store.dkimKeys().activeFor(org, CONTOSO)).isEmpty();
        reopen();
        assertThat(store.dkimKeys().keys(org)).containsExactly(kept);
        assertThat(store.directory().acceptedDomain(other)).isPresent();

        String newOwner = store.directory().createOrganization("Fabrikam", false).id();
        store.directory().createAcceptedDomain(newOwner, CONTOSO, AcceptedDomain.Type.AUTHORITATIVE, false);
        assertThat(store.dkimKeys().create(key(newOwner, CONTOSO, "s1", false, Instant.now())).selector())
                .as("the former owner's selectors are free again").isEqualTo("s1");
    }

    @Test
    void aDomainThatCannotBeDeletedKeepsItsKeys() {
        DkimSigningKey k = store.dkimKeys().create(key("s1", true, Instant.parse("2026-11-01T00:00:00Z")));
        store.directory().createMailbox(new Mailbox("", org, Address.parse("alice@contoso.example"), List.of(), "Alice", null, 0));

        assertThatThrownBy(() -> store.directory().deleteAcceptedDomain(domainId)).isInstanceOf(Directory.Conflict.class);

        assertThat(store.dkimKeys().activeFor(org, CONTOSO)).contains(k);
        reopen();
        assertThat(store.dkimKeys().activeFor(org, CONTOSO)).contains(k);
    }

    @Test
    void aKeyIsCreatedOrEnabledOnlyForAnAcceptedDomainOfItsOwnOrganization() throws Exception {
        String fabrikam = store.directory().createOrganization("Fabrikam", false).id();
        assertThatThrownBy(() -> store.dkimKeys().create(key(fabrikam, CONTOSO, "s1", false, Instant.now())))
                .isInstanceOf(Directory.Conflict.class).hasMessageContaining("contoso.example is not an accepted domain of the organization");
        assertThatThrownBy(() -> store.dkimKeys().create(key(org, Domain.of("nowhere.example"), "s1", false, Instant.now())))
                .isInstanceOf(Directory.Conflict.class);

        // a key left behind by a version that kept keys when their domain went
        writtenByAnOlderVersion("left-behind", fabrikam, "contoso.example", false);
        DkimSigningKey stale = store.dkimKeys().key("left-behind").orElseThrow();
        assertThatThrownBy(() -> store.dkimKeys().update(stale.withEnabled(true))).isInstanceOf(Directory.Conflict.class);
        assertThat(store.dkimKeys().key("left-behind")).map(DkimSigningKey::enabled).contains(false);
        store.dkimKeys().update(stale.withEnabled(false));
        store.dkimKeys().delete("left-behind");
        assertThat(store.dkimKeys().keys(fabrikam)).isEmpty();
    }

    @Test
    void anUpdateChangesOnlyWhetherTheKeyIsEnabled() {
        DkimSigningKey k = store.dkimKeys().create(key("s1", false, Instant.parse("2026-11-01T00:00:00Z")));
        var moved = new DkimSigningKey(k.id(), "another-org", Domain.of("elsewhere.example"), "x", k.keyType(),
                k.privateKeyPem(), k.dnsRecord(), false, k.createdAt());

        store.dkimKeys().update(moved);

        assertThat(store.dkimKeys().key(k.id())).contains(k);
    }

    @Test
    void aStoredKeyWhoseDomainTheMappingNowRefusesNeverSignsAndIsListedUntilDeleted() throws Exception {
        DkimSigningKey kept = store.dkimKeys().create(key(org, CONTOSO, "s1", true, Instant.ofEpochMilli(1_000)));
        writtenByAnOlderVersion("old", org, REFUSED, true);
        assertThat(store.dkimKeys().keys(org)).containsExactly(kept);
        assertThat(store.dkimKeys().key("old")).isEmpty();
        assertThat(store.dkimKeys().activeFor(org, CONTOSO)).contains(kept);
        assertThat(store.dkimKeys().unreadable())
                .containsExactly(new UnreadableRow("old", org, REFUSED, "invalid domain: " + REFUSED));

        store.dkimKeys().delete("old");
        assertThat(store.dkimKeys().unreadable()).isEmpty();
        assertThatThrownBy(() -> store.dkimKeys().delete("old")).isInstanceOf(Directory.NotFound.class);
        reopen();
        assertThat(store.dkimKeys().unreadable()).as("deleted from the database").isEmpty();
        assertThat(store.dkimKeys().keys(org)).containsExactly(kept);
    }

    @Test
    void anOrganizationWithAnUnreadableKeyIsNotDeletedBySurprise() throws Exception {
        String fabrikam = store.directory().createOrganization("Fabrikam", false).id();
        writtenByAnOlderVersion("old", fabrikam, REFUSED, false);
        assertThatThrownBy(() -> store.directory().deleteOrganization(fabrikam)).isInstanceOf(Directory.Conflict.class)
                .hasMessageContaining("DKIM key");
        store.dkimKeys().delete("old");
        store.directory().deleteOrganization(fabrikam);
    }

    @Test
    void anUnreadableKeyOfADeletedDomainIsForgottenWithItsRow() throws Exception {
        // a readable domain, a selector the stricter reading refuses (upper case)
        writtenByAnOlderVersion("old", org, CONTOSO.name(), "Old", false);
        assertThat(store.dkimKeys().unreadable()).extracting(UnreadableRow::id).containsExactly("old");

        store.directory().deleteAcceptedDomain(domainId);
        assertThat(store.dkimKeys().unreadable()).as("its row went with the domain").isEmpty();
        store.directory().deleteOrganization(org);
        reopen();
        assertThat(store.dkimKeys().unreadable()).isEmpty();
    }

    /** Unreadable, the domain routes nothing, but its name reads: the keys for it would go on signing as its next owner. */
    @Test
    void deletingAnUnreadableDomainDeletesItsOrganizationsKeysForItsName() throws Exception {
        Domain relay = Domain.of("relay.example");
        String fabrikam = store.directory().createOrganization("Fabrikam", false).id();
        String id = store.directory().createAcceptedDomain(org, relay, AcceptedDomain.Type.INTERNAL_RELAY, true).id();
        store.dkimKeys().create(key(org, relay, "s1", true, Instant.parse("2026-11-01T00:00:00Z")));
        DkimSigningKey kept = store.dkimKeys().create(key("s1", true, Instant.parse("2026-11-02T00:00:00Z")));
        // AUTHORITATIVE with matchSubdomains: unreadable, its name readable
        writtenByAnOlderVersion("UPDATE accepted_domains SET type = 'AUTHORITATIVE' WHERE id = ?", id);
        assertThat(store.directory().unreadableDomains()).extracting(UnreadableRow::id).containsExactly(id);

        store.directory().deleteAcceptedDomain(id);
        store.directory().createAcceptedDomain(fabrikam, relay, AcceptedDomain.Type.AUTHORITATIVE, false);

        assertThat(store.dkimKeys().activeFor(org, relay)).as("the former owner no longer signs as the name").isEmpty();
        assertThat(store.dkimKeys().keys(org)).containsExactly(kept);
        reopen();
        assertThat(store.dkimKeys().keys(org)).containsExactly(kept);
        assertThat(store.dkimKeys().create(key(fabrikam, relay, "s1", false, Instant.now())).selector())
                .as("the former owner's selectors are free again").isEqualTo("s1");
    }

    @Test
    void deletingADomainWhoseNameCannotBeReadDeletesTheKeysStoredUnderThatName() throws Exception {
        writtenByAnOlderVersion("INSERT INTO accepted_domains (id, organization_id, domain, type, match_subdomains)"
                + " VALUES ('old-domain', ?, ?, 'AUTHORITATIVE', 0)", org, REFUSED);
        writtenByAnOlderVersion("old", org, REFUSED, true);
        String fabrikam = store.directory().createOrganization("Fabrikam", false).id();
        writtenByAnOlderVersion("theirs", fabrikam, REFUSED, "theirs", true);
        assertThat(store.dkimKeys().unreadable()).extracting(UnreadableRow::id).containsExactlyInAnyOrder("old", "theirs");

        store.directory().deleteAcceptedDomain("old-domain");

        assertThat(store.dkimKeys().unreadable()).as("only its own organization's").extracting(UnreadableRow::id).containsExactly("theirs");
        reopen();
        assertThat(store.dkimKeys().unreadable()).extracting(UnreadableRow::id).containsExactly("theirs");
    }
}
