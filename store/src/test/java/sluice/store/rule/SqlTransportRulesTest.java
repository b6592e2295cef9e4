package sluice.store.rule;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.org.Directory;
import sluice.core.rule.RuleActions;
import sluice.core.rule.RulePredicates;
import sluice.core.rule.TransportRule;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlTransportRulesTest {

    @TempDir
    Path dir;

    private static final RulePredicates WHEN = new RulePredicates(List.of("a@fabrikam.example"), List.of("fabrikam.example"),
            null, null, RulePredicates.Scope.NOT_IN_ORGANIZATION, null, List.of("invoice"), null,
            new RulePredicates.HeaderPattern("X-Campaign", List.of("^promo")), List.of("exe"), 5);
    private static final RuleActions DO = new RuleActions(new RuleActions.Rejection("No", "5.7.950"), false, false, null,
            List.of("audit@contoso.example"), -1, new RuleActions.SetHeader("X-A", "b"), "[x] ", "conn", true);

    private static TransportRule rule(String org, String name, int priority) {
        return new TransportRule("", org, name, priority, true, "why", WHEN, RulePredicates.NONE, DO);
    }

    @Test
    void rulesKeepEveryFieldAndTheirOrderAcrossARestart() {
        String org;
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            org = store.directory().createOrganization("Contoso", false).id();
            var rules = store.transportRules();
            TransportRule b = rules.create(rule(org, "b", 0));
            rules.create(rule(org, "a", 0));
            rules.create(rule(org, "c", 99));
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("a", "b", "c");
            assertThat(rules.rules(org)).extracting(TransportRule::priority).containsExactly(0, 1, 2);
            rules.update(b.withPriority(0));
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("b", "a", "c");
            rules.delete(rules.rules(org).get(1).id());
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            List<TransportRule> rules = store.transportRules().rules(org);
            assertThat(rules).extracting(TransportRule::name).containsExactly("b", "c");
            assertThat(rules).extracting(TransportRule::priority).containsExactly(0, 1);
            assertThat(rules.getFirst().conditions()).isEqualTo(WHEN);
            assertThat(rules.getFirst().exceptions()).isEqualTo(RulePredicates.NONE);
            assertThat(rules.getFirst().actions()).isEqualTo(DO);
            assertThat(rules.getFirst().comment()).isEqualTo("why");
        }
    }

    @Test
    void namesAreUniquePerOrganizationAndAnOrganizationWithRulesStays() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            String org = store.directory().createOrganization("Contoso", false).id();
            String other = store.directory().createOrganization("Fabrikam", false).id();
            store.transportRules().create(rule(org, "Tag", 0));
            assertThatThrownBy(() -> store.transportRules().create(rule(org, "TAG", 0))).isInstanceOf(Directory.Conflict.class);
            store.transportRules().create(rule(other, "tag", 0));
            assertThatThrownBy(() -> store.directory().deleteOrganization(org)).isInstanceOf(Directory.Conflict.class)
                    .hasMessageContaining("mail flow rule");
            assertThatThrownBy(() -> store.transportRules().create(rule("no-such-org", "x", 0))).isInstanceOf(Directory.NotFound.class);
        }
    }

    @Test
    void theConnectorARuleChoseStaysWithTheQueuedMessage() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var id = Fixtures.nextId();
            store.spool().enqueue(Fixtures.message(id, 100).withTransportRuleConnector("conn-1"), Fixtures.recipients(id, "x@fabrikam.example"));
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.spool().pending()).singleElement().satisfies(id ->
                    assertThat(store.spool().message(id).orElseThrow().transportRuleConnector()).isEqualTo("conn-1"));
        }
    }
}
