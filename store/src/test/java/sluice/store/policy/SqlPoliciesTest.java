package sluice.store.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.connector.IpRange;
import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.SpamAction;
import sluice.store.EmbeddedStore;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SqlPoliciesTest {

    @TempDir
    Path dir;

    private static final AntiSpamPolicy STRICT = new AntiSpamPolicy(4, 6, SpamAction.QUARANTINE, SpamAction.REJECT,
            "[Junk] ", SpamAction.REJECT, SpamAction.MOVE_TO_JMF, SpamAction.QUARANTINE, Duration.ofDays(30));

    @Test
    void anOrganizationWithoutPoliciesGetsTheDefaults() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.policies().antiSpam("org")).isEqualTo(AntiSpamPolicy.DEFAULT);
            assertThat(store.policies().antiMalware(null)).isEqualTo(AntiMalwarePolicy.DEFAULT);
            assertThat(store.policies().connectionFilter("org")).isEqualTo(ConnectionFilterPolicy.DEFAULT);
        }
    }

    @Test
    void savedPoliciesAreServedAtOnceAndSurviveARestart() {
        var lists = new ConnectionFilterPolicy(List.of(IpRange.parse("192.0.2.0/24"), IpRange.parse("2001:db8::/32")),
                List.of(IpRange.parse("198.51.100.7")));
        var malware = new AntiMalwarePolicy(true, List.of("exe", ".SCR"), true, Duration.ofDays(7));
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.policies().setAntiSpam("a", STRICT);
            store.policies().setConnectionFilter("a", lists);
            store.policies().setAntiMalware("a", malware);
            assertThat(store.policies().antiSpam("a")).isEqualTo(STRICT);
            assertThat(store.policies().antiSpam("b")).isEqualTo(AntiSpamPolicy.DEFAULT);
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.policies().antiSpam("a")).isEqualTo(STRICT);
            assertThat(store.policies().connectionFilter("a")).isEqualTo(lists);
            assertThat(store.policies().antiMalware("a")).isEqualTo(malware);
            assertThat(store.policies().antiMalware("a").fileTypes()).containsExactly("exe", "scr");
        }
    }

    @Test
    void anUnreadableStoredPolicyFallsBackToTheDefaultsInsteadOfStoppingTheNode() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            store.policies().setAntiSpam("a", STRICT);
        }
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("sluice.db"));
             var s = c.prepareStatement("UPDATE policies SET body = '{\"spamAction\":\"EXPLODE\"}'")) {
            s.executeUpdate();
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.policies().antiSpam("a")).isEqualTo(AntiSpamPolicy.DEFAULT);
        }
    }
}
