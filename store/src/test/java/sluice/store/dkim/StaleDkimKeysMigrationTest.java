package sluice.store.dkim;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Domain;
import sluice.core.org.AcceptedDomain;
import sluice.core.org.DkimSigningKey;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;
import sluice.store.db.Dialect;
import sluice.store.db.Sqlite;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Before V23 an organization kept its DKIM keys when it deleted the domain. Such keys go with the
 * upgrade: Contoso deleted contoso.example, which Fabrikam has verified since; Contoso's key for it
 * held the selector Fabrikam wants, and it could not be enabled again anyway. Keys of domains their
 * organization still holds stay as they were.
 */
class StaleDkimKeysMigrationTest {

    @TempDir
    Path dir;

    @Test
    void keysOfDomainsTheirOrganizationNoLongerHoldsAreGoneAfterTheUpgrade() throws Exception {
        Flyway.configure().dataSource(Sqlite.url(dir.resolve("sluice.db")), null, null).locations("classpath:sluice/store/migration")
                .placeholders(Dialect.SQLITE.placeholders()).target("22").load().migrate();
        try (Connection c = Fixtures.rawConnection(dir)) {
            execute(c, "INSERT INTO organizations (id, name, name_key, reject_direct_send) VALUES ('contoso', 'Contoso', 'contoso', 0)");
            execute(c, "INSERT INTO organizations (id, name, name_key, reject_direct_send) VALUES ('fabrikam', 'Fabrikam', 'fabrikam', 0)");
            execute(c, "INSERT INTO accepted_domains (id, organization_id, domain, type, match_subdomains) "
                    + "VALUES ('d1', 'contoso', 'contoso.test', 'AUTHORITATIVE', 0)");
            execute(c, "INSERT INTO accepted_domains (id, organization_id, domain, type, match_subdomains) "
                    + "VALUES ('d2', 'fabrikam', 'contoso.example', 'AUTHORITATIVE', 0)");
            key(c, "left-behind", "contoso", "contoso.example", "s1", true);
            key(c, "kept", "contoso", "contoso.test", "s1", true);
            key(c, "new-owners", "fabrikam", "contoso.example", "s2", true);
        }

        String log = stderrOf(() -> EmbeddedStore.open(dir, InstantSource.system()).close());
        // the operator is told, once, which private keys went
        assertThat(log.lines().filter(l -> l.contains("DKIM key")).toList()).singleElement().asString()
                .contains("WARN").endsWith("The upgrade to schema version 23 removed 1 DKIM key(s) of domains their organization"
                        + " no longer holds: left-behind");
        assertThat(stderrOf(() -> EmbeddedStore.open(dir, InstantSource.system()).close())).doesNotContain("DKIM key");

        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var keys = store.dkimKeys();
            assertThat(keys.key("left-behind")).isEmpty();
            assertThat(keys.keys("contoso")).extracting(DkimSigningKey::id).containsExactly("kept");
            assertThat(keys.activeFor("fabrikam", Domain.of("contoso.example"))).map(DkimSigningKey::id).contains("new-owners");
            assertThat(keys.create(new DkimSigningKey("", "fabrikam", Domain.of("contoso.example"), "s1", "ED25519", "pem",
                    "v=DKIM1; p=AA==", false, Instant.now())).selector()).as("the selector is free").isEqualTo("s1");
            assertThat(store.directory().acceptedDomains("contoso")).extracting(AcceptedDomain::id).containsExactly("d1");
        }
    }

    interface Action {
        void run() throws Exception;
    }

    /** What {@code action} wrote to standard error (where the store's log goes in tests). */
    private static String stderrOf(Action action) throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    private static void key(Connection c, String id, String org, String domain, String selector, boolean enabled) throws Exception {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO dkim_keys (id, organization_id, domain, selector, key_type, "
                + "private_key, dns_record, enabled, created_at) VALUES (?, ?, ?, ?, 'ED25519', 'pem', 'v=DKIM1; p=AA==', ?, 0)")) {
            s.setString(1, id);
            s.setString(2, org);
            s.setString(3, domain);
            s.setString(4, selector);
            s.setInt(5, enabled ? 1 : 0);
            s.executeUpdate();
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.executeUpdate();
        }
    }
}
