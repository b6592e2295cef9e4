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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

    /**
     * Rules saved before setHeader values and words were checked: a bell character in a header value, a word
     * of a zero-width space. They load without it, stay listed and can be edited and deleted (before, they
     * were left out, yet their name stayed taken and their organization could not go).
     */
    @Test
    void aRuleStoredBeforeTheChecksLoadsCleanedAndCanBeEditedAndDeleted() throws Exception {
        String org = contoso();
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "Tag", 0, "{\"subjectContainsWords\":[\"\u200b\",\"invoice\"]}",
                    "{\"subjectContainsWords\":[\"\u200b\"]}", "{\"setHeader\":{\"name\":\"X-Tag\",\"value\":\"a\\u0007b\"}}");
            stored(c, "r2", org, "Only invisible", 1, "{\"subjectContainsWords\":[\"\u200b\"]}", "{}",
                    "{\"prependSubject\":\"[x] \"}");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("Tag", "Only invisible");
            TransportRule tag = rules.rule("r1").orElseThrow();
            assertThat(tag.enabled()).isTrue();
            assertThat(tag.conditions().subjectContainsWords()).containsExactly("invoice");
            assertThat(tag.exceptions().isEmpty()).isTrue();
            assertThat(tag.actions().setHeader().field()).isEqualTo("X-Tag: ab");
            // a condition that can match nothing is not dropped (the rule would match everything): the rule is off
            assertThat(rules.rule("r2").orElseThrow().enabled()).isFalse();
            assertThat(rules.rule("r2").orElseThrow().conditions().subjectContainsWords()).isEmpty();

            rules.update(new TransportRule("r1", org, "Tag", 0, true, "fixed", tag.conditions(), tag.exceptions(), tag.actions()));
            assertThatThrownBy(() -> rules.create(rule(org, "only INVISIBLE", 0))).isInstanceOf(Directory.Conflict.class);
            rules.delete("r2");
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("Tag");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.transportRules().rule("r1").orElseThrow().comment()).isEqualTo("fixed");
            store.transportRules().delete("r1");
            store.directory().deleteOrganization(org);
        }
    }

    /** A setHeader saved before the field checks (a MIME structure field, a From that reads as no address) is dropped on load. */
    @Test
    void aSetHeaderRulesMayNoLongerSetIsDroppedWhenLoadedAndTheRuleStays() throws Exception {
        String org = contoso();
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "Type", 0, "{}", "{}", "{\"setHeader\":{\"name\":\"Content-Type\",\"value\":\"text/plain\"},"
                    + "\"prependSubject\":\"[x] \"}");
            stored(c, "r2", org, "Keep", 1, "{}", "{}", "{\"setHeader\":{\"name\":\"X-Tag\",\"value\":\"ok\"}}");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("Type", "Keep");
            assertThat(rules.rule("r1").orElseThrow().actions().setHeader()).isNull();
            assertThat(rules.rule("r1").orElseThrow().actions().prependSubject()).isEqualTo("[x] ");
            assertThat(rules.rule("r2").orElseThrow().actions().setHeader().field()).isEqualTo("X-Tag: ok");
        }
    }

    /**
     * A review found that a rule whose only action was a setHeader now refused failed to load ("needs at least one
     * action") and was stuck: not listed, not deletable, its name taken with raw SQL text in the Conflict, its
     * organization undeletable. It now loads disabled with a note, like a lost condition, and needs an action to be enabled.
     */
    @Test
    void aRuleWhoseOnlyActionWasARefusedSetHeaderLoadsDisabledAndCanBeFixedOrDeleted() throws Exception {
        String org = contoso();
        String onlyType = "{\"setHeader\":{\"name\":\"Content-Type\",\"value\":\"text/plain\"},\"stopProcessingRules\":true}";
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "TypeOnly", 0, "{}", "{}", onlyType);
            stored(c, "r2", org, "Fixed later", 1, "{}", "{}", onlyType);
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("TypeOnly", "Fixed later");
            TransportRule r = rules.rule("r1").orElseThrow();
            assertThat(r.enabled()).isFalse();
            assertThat(r.comment()).isEqualTo(SqlTransportRules.LOST_ACTION_NOTE);
            assertThat(r.actions().names()).isEmpty();
            assertThatThrownBy(() -> rules.create(rule(org, "typeonly", 0))).isInstanceOf(Directory.Conflict.class)
                    .hasMessage("a mail flow rule named 'typeonly' already exists in this organization");
            assertThatThrownBy(() -> rules.update(new TransportRule("r1", org, "TypeOnly", 0, true, r.comment(), r.conditions(),
                    r.exceptions(), r.actions()))).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("actions: ");
            assertThatThrownBy(() -> rules.create(new TransportRule("", org, "No action", 0, false, null, RulePredicates.NONE,
                    RulePredicates.NONE, RuleActions.NONE))).isInstanceOf(IllegalArgumentException.class);
            // renamed, still without an action: it stays disabled, with its stored actions, after a restart too
            rules.update(new TransportRule("r2", org, "Renamed", 1, false, "mine " + r.comment(), r.conditions(), r.exceptions(),
                    r.actions()));
            rules.delete("r1");
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("Renamed");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            TransportRule r = rules.rule("r2").orElseThrow();
            assertThat(r.enabled()).isFalse();
            assertThat(r.comment()).isEqualTo("mine " + SqlTransportRules.LOST_ACTION_NOTE);
            TransportRule on = rules.update(new TransportRule("r2", org, "Renamed", 0, true, r.comment(), r.conditions(),
                    r.exceptions(), new RuleActions(null, false, false, null, null, null, new RuleActions.SetHeader("X-Type", "plain"),
                    null, null, true)));
            assertThat(on.enabled()).isTrue();
            assertThat(on.comment()).isEqualTo("mine");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            assertThat(store.transportRules().rule("r2").orElseThrow().actions().setHeader().field()).isEqualTo("X-Type: plain");
            store.transportRules().delete("r2");
            store.directory().deleteOrganization(org);
        }
    }

    /**
     * A stored rule that does not read at all is listed disabled with a note, counted as its organization's, and can
     * be deleted; its name stays taken with a readable Conflict (before: raw SQLite text, and a FOREIGN KEY failure
     * deleting the organization).
     */
    @Test
    void anUnreadableRuleIsListedDisabledAndCanBeDeleted() throws Exception {
        String org = contoso();
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "Broken", 0, "{}", "{}", "{\"setScl\":42}");
            stored(c, "r2", org, "Garbled", 1, "{not json", "{}", "{\"deleteMessage\":true}");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            assertThat(rules.rules(org)).extracting(TransportRule::name).containsExactly("Broken", "Garbled");
            TransportRule r = rules.rule("r1").orElseThrow();
            assertThat(r.enabled()).isFalse();
            assertThat(r.comment()).isEqualTo(SqlTransportRules.UNREADABLE_NOTE);
            assertThatThrownBy(() -> rules.update(new TransportRule("r1", org, "Broken", 0, false, null, r.conditions(),
                    r.exceptions(), DO))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("delete it");
            assertThatThrownBy(() -> rules.create(rule(org, "BROKEN", 0))).isInstanceOf(Directory.Conflict.class)
                    .hasMessageNotContaining("UNIQUE");
            assertThatThrownBy(() -> store.directory().deleteOrganization(org)).isInstanceOf(Directory.Conflict.class)
                    .hasMessageContaining("2 mail flow rule(s)");
            rules.delete("r1");
            rules.delete("r2");
            store.directory().deleteOrganization(org);
        }
    }

    /** A rule naming a domain the mapping now refuses is listed disabled with the note, not dropped (the log says why). */
    @Test
    void aRuleWithADomainTheMappingNowRefusesIsListedDisabled() throws Exception {
        String org = contoso();
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "Old name", 0, "{\"senderDomainIs\":[\"a\u00b7b.example\"]}", "{}", "{\"deleteMessage\":true}");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            TransportRule r = store.transportRules().rule("r1").orElseThrow();
            assertThat(r).extracting(TransportRule::name, TransportRule::enabled, TransportRule::comment)
                    .containsExactly("Old name", false, SqlTransportRules.UNREADABLE_NOTE);
            store.transportRules().delete("r1");
        }
    }

    /** A review found that a setHeader dropped at load left the admin nothing to see but a log line: the comment says so. */
    @Test
    void aDroppedSetHeaderIsNotedInTheCommentUntilTheRuleIsSaved() throws Exception {
        String org = contoso();
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "Type", 0, "{}", "{}", "{\"setHeader\":{\"name\":\"Content-Type\",\"value\":\"text/plain\"},"
                    + "\"prependSubject\":\"[x] \"}");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            TransportRule r = rules.rule("r1").orElseThrow();
            assertThat(r.enabled()).isTrue();
            assertThat(r.comment()).isEqualTo(SqlTransportRules.DROPPED_HEADER_NOTE);
            TransportRule saved = rules.update(new TransportRule("r1", org, "Type", 0, true, r.comment(), r.conditions(),
                    r.exceptions(), r.actions()));
            assertThat(saved.comment()).isNull();
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            TransportRule r = store.transportRules().rule("r1").orElseThrow();
            assertThat(r.comment()).isNull();
            assertThat(r.actions().prependSubject()).isEqualTo("[x] ");
        }
    }

    /**
     * A review found that a rule loaded disabled because its only subject word was invisible lost the condition, so
     * enabling it (PATCH {"enabled":true}) made it reject every message. Enabling now needs the conditions again,
     * also after the rule was saved otherwise and the store restarted.
     */
    @Test
    void aRuleWhoseConditionLostEveryWordCannotBeEnabledWithoutConditions() throws Exception {
        String org = contoso();
        try (Connection c = Fixtures.rawConnection(dir)) {
            stored(c, "r1", org, "Reject invisible", 0, "{\"senderDomainIs\":[\"a.example\",\"b.example\"],"
                    + "\"subjectContainsWords\":[\"\u200b\"]}", "{}",
                    "{\"rejectMessage\":{\"reasonText\":\"No\",\"enhancedStatusCode\":\"5.7.950\"}}");
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            TransportRule r = rules.rule("r1").orElseThrow();
            assertThat(r.enabled()).isFalse();
            assertThat(r.comment()).isEqualTo(SqlTransportRules.LOST_NOTE);
            assertThatThrownBy(() -> rules.update(enabled(r, "Reject invisible", r.conditions())))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("conditions: ");
            rules.update(new TransportRule("r1", org, "Renamed", 0, false, r.comment(), r.conditions(), r.exceptions(), r.actions()));
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            var rules = store.transportRules();
            TransportRule r = rules.rule("r1").orElseThrow();
            assertThat(r.name()).isEqualTo("Renamed");
            assertThat(r.enabled()).isFalse();
            assertThatThrownBy(() -> rules.update(enabled(r, r.name(), r.conditions()))).isInstanceOf(IllegalArgumentException.class);
            RulePredicates reordered = new RulePredicates(null, List.of("b.example", "a.example"), null, null, null, null, null, null,
                    null, null, null);
            assertThatThrownBy(() -> rules.update(enabled(r, r.name(), reordered))).as("the same conditions in another order")
                    .isInstanceOf(IllegalArgumentException.class);
            RulePredicates given = new RulePredicates(null, null, null, null, null, null, List.of("lottery"), null, null, null, null);
            TransportRule on = rules.update(enabled(r, r.name(), given));
            assertThat(on.enabled()).isTrue();
            assertThat(on.comment()).as("the note goes with the lost condition").isNull();
        }
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            TransportRule r = store.transportRules().rule("r1").orElseThrow();
            assertThat(r.enabled()).isTrue();
            assertThat(r.conditions().subjectContainsWords()).containsExactly("lottery");
        }
    }

    /** Creates the organization Contoso in a store that is closed again, so that rows can be written under it. */
    private String contoso() {
        try (EmbeddedStore store = EmbeddedStore.open(dir, InstantSource.system())) {
            return store.directory().createOrganization("Contoso", false).id();
        }
    }

    private static TransportRule enabled(TransportRule r, String name, RulePredicates conditions) {
        return new TransportRule(r.id(), r.organizationId(), name, r.priority(), true, r.comment(), conditions, r.exceptions(), r.actions());
    }

    private static void stored(Connection c, String id, String org, String name, int priority, String conditions,
                               String exceptions, String actions) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("INSERT INTO transport_rules (id, organization_id, name, name_key, priority,"
                + " enabled, comment, conditions, exceptions, actions) VALUES (?,?,?,?,?,1,NULL,?,?,?)")) {
            s.setString(1, id);
            s.setString(2, org);
            s.setString(3, name);
            s.setString(4, name.toLowerCase(java.util.Locale.ROOT));
            s.setInt(5, priority);
            s.setString(6, conditions);
            s.setString(7, exceptions);
            s.setString(8, actions);
            s.executeUpdate();
        }
    }
}
