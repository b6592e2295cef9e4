package sluice.store.dkim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Domain;
import sluice.core.org.Directory;
import sluice.core.org.DkimSigningKey;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlDkimSigningKeysTest {

    @TempDir
    Path dir;

    private static DkimSigningKey key(String selector, boolean enabled, Instant created) {
        return new DkimSigningKey("", "org", Domain.of("contoso.example"), selector, "ED25519",
                "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n", "v=DKIM1; k=ed25519; p=AA==",
                enabled, created);
    }

    @Test
    void theNewestEnabledKeySignsAndEverythingSurvivesARestart() {
        String oldId;
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var keys = store.dkimKeys();
            oldId = keys.create(key("s202611", true, Instant.parse("2026-11-01T00:00:00Z"))).id();
            keys.create(key("s202612", true, Instant.parse("2026-12-01T00:00:00Z")));
            assertThat(keys.activeFor("org", Domain.of("contoso.example"))).map(DkimSigningKey::selector).contains("s202612");
            assertThat(keys.activeFor("org", Domain.of("other.example"))).isEmpty();
            assertThat(keys.activeFor("another-org", Domain.of("contoso.example"))).as("only the organization's own keys").isEmpty();
            assertThatThrownBy(() -> keys.create(key("s202612", false, Instant.now()))).isInstanceOf(Directory.Conflict.class);
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var keys = store.dkimKeys();
            assertThat(keys.keys("org")).extracting(DkimSigningKey::selector).containsExactly("s202611", "s202612");
            var newest = keys.activeFor("org", Domain.of("contoso.example")).orElseThrow();
            keys.update(newest.withEnabled(false));
            assertThat(keys.activeFor("org", Domain.of("contoso.example"))).map(DkimSigningKey::id).contains(oldId);
            keys.delete(oldId);
            assertThat(keys.activeFor("org", Domain.of("contoso.example"))).isEmpty();
            assertThatThrownBy(() -> keys.delete(oldId)).isInstanceOf(Directory.NotFound.class);
        }
    }
}
