package sluice.core.rule;

import org.junit.jupiter.api.Test;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Symbol;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryTransportRules;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.rule.MailFlowRulesTest.header;
import static sluice.core.rule.MailFlowRulesTest.p;

/**
 * Header patterns the per-message time budget did not let run ({@link PatternBudget}): rules that only hold or refuse
 * apply on them (holding instead of deleting or rejecting), rules that can lower the guard do not, others keep their
 * behaviour; the trace and the log say why. The sample message is {@link MailFlowRulesTest#MESSAGE}.
 */
class UnevaluatedPatternsTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryTransportRules rules = new MemoryTransportRules();
    private final String org = Contoso.organization(directory);

    private Inspection inbound() throws Exception {
        return new Inspection(org, false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("192.0.2.7"),
                InetAddress.getByName("192.0.2.7"), "mail.fabrikam.example", true, "alice@fabrikam.example",
                List.of(Address.parse("bob@contoso.example")), MailFlowRulesTest.MESSAGE.getBytes());
    }

    private TransportRule rule(String name, RulePredicates conditions, RulePredicates exceptions, RuleActions actions) {
        return rules.create(new TransportRule("", org, name, Integer.MAX_VALUE, true, null, conditions, exceptions, actions));
    }

    private Findings run(Inspection m, TransportRuleStage.Phase phase) {
        Findings f = new Findings();
        new TransportRuleStage(rules, directory, phase).inspect(m, f);
        return f;
    }

    private static final RuleActions QUARANTINE = new RuleActions(null, false, true, null, null, null, null, null, null, false);
    /** SCL -1: bypasses spam filtering, the trust a sender would like to earn. */
    private static final RuleActions BYPASS = new RuleActions(null, false, false, null, null, -1, null, null, null, false);

    /** A pattern on the sample message's {@code X-Campaign: promo-2025-spring}. */
    private static RulePredicates campaign(String pattern) {
        return p("header", new RulePredicates.HeaderPattern("X-Campaign", List.of(pattern)));
    }

    /**
     * The sample message through both phases on a clock that jumps past the whole budget at every look: the first
     * pattern tried finishes (a short value is not timed while it runs) and is answered, but spends the budget, so
     * every later one cannot be evaluated, as when a sender's crafted values make a pattern backtrack.
     */
    private Findings withBudgetSpentByTheFirstPattern() throws Exception {
        AtomicLong ticks = new AtomicLong();
        LongSupplier ticker = () -> ticks.addAndGet(PatternBudget.NANOS + 1);
        Inspection m = inbound();
        Findings f = new Findings();
        new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM, ticker).inspect(m, f);
        new TransportRuleStage(rules, directory, TransportRuleStage.Phase.AFTER_ANTI_SPAM, ticker).inspect(m, f);
        assertThat(f.symbols()).extracting(Symbol::name).containsOnlyOnce(TransportRuleStage.PATTERN_BUDGET_SPENT);
        return f;
    }

    /** The first pattern: answered (no match), and the budget is spent. */
    private void spendTheBudget() {
        rule("spend", campaign("^newsletter"), null, header("spent"));
    }

    @Test
    void aRuleThatOnlyHoldsAppliesWhenItsPatternCouldNotBeEvaluated() throws Exception {
        spendTheBudget();
        rule("hold absent", p("header", new RulePredicates.HeaderPattern("X-Absent", List.of(".*"))), null, QUARANTINE);
        rule("hold contoso promotions", new RulePredicates(null, List.of("contoso.example"), null, null, null, null, null, null,
                new RulePredicates.HeaderPattern("X-Campaign", List.of("^promo-")), null, null), null, QUARANTINE);
        rule("hold promotions", campaign("^promo-"), null, QUARANTINE);

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.hits()).as("a field the message lacks, or another condition that fails, still decides")
                .extracting(Facts.MailFlowRules.Hit::name).containsExactly("hold promotions");
        assertThat(r.ending().kind()).isEqualTo(Facts.MailFlowRules.Ending.Kind.QUARANTINE);
        assertThat(r.hits().getFirst().describe()).as("the trace says why").endsWith("quarantine (" + TransportRuleStage.PATTERN_UNKNOWN + ")");
    }

    /** A review found that "stop processing more rules" made a quarantining rule dodgeable: it changes nothing after an ending. */
    @Test
    void aRuleThatHoldsAndStopsProcessingAppliesWhenItsPatternCouldNotBeEvaluated() throws Exception {
        spendTheBudget();
        rule("hold promotions, stop", campaign("^promo-"), null,
                new RuleActions(null, false, true, null, null, null, null, null, null, true));

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.ending().kind()).isEqualTo(Facts.MailFlowRules.Ending.Kind.QUARANTINE);
        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::name).containsExactly("hold promotions, stop");
    }

    @Test
    void aRuleThatOnlyRefusesAfterAntiSpamAppliesWhenTheBudgetWasSpentBefore() throws Exception {
        spendTheBudget();
        rule("refuse promotions", new RulePredicates(null, null, null, null, null, null, null, null,
                new RulePredicates.HeaderPattern("X-Campaign", List.of("^promo-")), null, 0), null,
                new RuleActions(new RuleActions.Rejection(null, null), false, false, null, null, null, null, null, null, false));

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.ending().kind()).as("held, not refused").isEqualTo(Facts.MailFlowRules.Ending.Kind.QUARANTINE);
        assertThat(r.hits()).singleElement().extracting(Facts.MailFlowRules.Hit::why).isEqualTo(TransportRuleStage.HELD_NOT_REJECTED);
    }

    private static final RuleActions DELETE = new RuleActions(null, true, false, null, null, null, null, null, null, false);
    private static final RuleActions REJECT = new RuleActions(new RuleActions.Rejection(null, null), false, false, null, null, null,
            null, null, null, false);

    /**
     * A review found that failing closed with delete lost mail for good when the budget ran out on benign mail (a
     * pause, a busy node, long headers): such a rule holds it in quarantine instead, from where it can be released.
     */
    @Test
    void aRuleThatDeletesOrRejectsOnAPatternThatCouldNotBeEvaluatedHoldsTheMessageInstead() throws Exception {
        spendTheBudget();
        rule("delete promotions", campaign("^promo-"), null, DELETE);

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.ending().kind()).isEqualTo(Facts.MailFlowRules.Ending.Kind.QUARANTINE);
        assertThat(r.ending().reply()).isNull();
        assertThat(r.hits()).singleElement().extracting(Facts.MailFlowRules.Hit::why).isEqualTo(TransportRuleStage.HELD_NOT_DELETED);
        assertThat(r.hits().getFirst().describe()).endsWith("deleteMessage (" + TransportRuleStage.HELD_NOT_DELETED + ")");

        rules.rules(org).forEach(x -> rules.delete(x.id()));
        spendTheBudget();
        rule("refuse fabrikam but newsletters", p("senderDomain", List.of("fabrikam.example")), campaign("^internal-"), REJECT);
        r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();
        assertThat(r.ending().kind()).as("an exception not evaluated holds too").isEqualTo(Facts.MailFlowRules.Ending.Kind.QUARANTINE);
        assertThat(r.hits()).singleElement().extracting(Facts.MailFlowRules.Hit::why).isEqualTo(TransportRuleStage.HELD_NOT_REJECTED);
    }

    @Test
    void aRuleThatDeletesOrRejectsOnEvaluatedPatternsStillDoes() throws Exception {
        rule("delete promotions", campaign("^promo-"), null, DELETE);
        Facts.MailFlowRules r = run(inbound(), TransportRuleStage.Phase.BEFORE_ANTI_SPAM).fact(Facts.MailFlowRules.class).orElseThrow();
        assertThat(r.ending().kind()).isEqualTo(Facts.MailFlowRules.Ending.Kind.DELETE);
        assertThat(r.hits()).singleElement().extracting(Facts.MailFlowRules.Hit::why).isNull();

        rules.rules(org).forEach(x -> rules.delete(x.id()));
        rule("refuse promotions but internal", campaign("^promo-"), campaign("^internal-"), REJECT);
        r = run(inbound(), TransportRuleStage.Phase.BEFORE_ANTI_SPAM).fact(Facts.MailFlowRules.class).orElseThrow();
        assertThat(r.ending().kind()).isEqualTo(Facts.MailFlowRules.Ending.Kind.REJECT);
        assertThat(r.hits()).singleElement().extracting(Facts.MailFlowRules.Hit::why).isNull();
    }

    @Test
    void aRuleThatAddsTrustDoesNotApplyWhenItsPatternCouldNotBeEvaluated() throws Exception {
        spendTheBudget();
        rule("trust promotions", campaign("^promo-"), null, BYPASS);
        rule("tag promotions", campaign("^promo-"), null, header("promo"));

        assertThat(withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class)).isEmpty();
    }

    @Test
    void anExceptionThatCouldNotBeEvaluatedDoesNotExemptFromARuleThatOnlyHolds() throws Exception {
        spendTheBudget();
        rule("hold fabrikam but promotions", p("senderDomain", List.of("fabrikam.example")), campaign("^promo-"), QUARANTINE);

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.ending().kind()).isEqualTo(Facts.MailFlowRules.Ending.Kind.QUARANTINE);
        assertThat(r.hits().getFirst().describe()).endsWith("(" + TransportRuleStage.PATTERN_UNKNOWN + ")");
    }

    @Test
    void anExceptionThatCouldNotBeEvaluatedExemptsFromARuleThatAddsTrust() throws Exception {
        spendTheBudget();
        // the exception would not even match: a pattern that was not evaluated grants nothing either way
        rule("trust fabrikam but newsletters", p("senderDomain", List.of("fabrikam.example")), campaign("^newsletter"), BYPASS);
        rule("trust fabrikam but promotions", p("senderDomain", List.of("fabrikam.example")), campaign("^promo-"), BYPASS);

        assertThat(withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class)).isEmpty();
    }

    /**
     * A review found that an exception not evaluated exempted from every rule that does not only restrict, protective
     * ones too: before patterns had a budget, a timed-out exception did not match, and a banner, a compliance Bcc, a
     * redirect or an SCL of spam applied.
     */
    @Test
    void anExceptionThatCouldNotBeEvaluatedDoesNotExemptFromARuleThatNeitherRestrictsNorAddsTrust() throws Exception {
        spendTheBudget();
        RulePredicates outside = p("fromScope", RulePredicates.Scope.NOT_IN_ORGANIZATION);
        rule("banner", outside, campaign("^internal-"), new RuleActions(null, false, false, null, null, null, null, "[EXTERNAL] ", null, false));
        rule("journal", outside, campaign("^internal-"),
                new RuleActions(null, false, false, null, List.of("journal@contoso.example"), null, null, null, null, false));
        // an SCL of 5 to 8 replaces anti-spam's, which may be 9: it lowers the guard, so the unknown exception exempts
        rule("spam", outside, campaign("^internal-"), new RuleActions(null, false, false, null, null, 6, null, null, null, false));

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::name).containsExactly("banner", "journal");
        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::why).containsOnly(TransportRuleStage.PATTERN_UNKNOWN);
        assertThat(r.subjectPrefix()).isEqualTo("[EXTERNAL] ");
        assertThat(r.addBcc()).containsExactly("journal@contoso.example");
        assertThat(r.scl()).isNull();
    }

    /** A review: a quarantine that also set SCL 6 (or a header) counted as lowering the guard, so an unknown exception exempted it. */
    @Test
    void aRuleThatHoldsAndAlsoSetsAnSclOrAHeaderIsNotExemptedByAnExceptionThatCouldNotBeEvaluated() throws Exception {
        spendTheBudget();
        rule("hold fabrikam but newsletters", p("senderDomain", List.of("fabrikam.example")), campaign("^internal-"),
                new RuleActions(null, false, true, null, null, 6, null, null, null, false));

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.ending()).as("held").isNotNull();
        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::why).containsOnly(TransportRuleStage.PATTERN_UNKNOWN);
    }

    @Test
    void aConditionThatCouldNotBeEvaluatedDoesNotApplyARuleThatNeitherRestrictsNorAddsTrust() throws Exception {
        spendTheBudget();
        rule("banner promotions", campaign("^promo-"), null, new RuleActions(null, false, false, null, null, null, null, "[Promo] ", null, false));

        assertThat(withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class)).isEmpty();
    }

    @Test
    void anExceptionThatCouldNotBeEvaluatedExemptsFromEveryRuleThatLowersTheGuard() throws Exception {
        spendTheBudget();
        RulePredicates outside = p("fromScope", RulePredicates.Scope.NOT_IN_ORGANIZATION);
        rule("not spam", outside, campaign("^internal-"), new RuleActions(null, false, false, null, null, 4, null, null, null, false));
        rule("tag", outside, campaign("^internal-"), header("outside"));
        rule("banner, stop", outside, campaign("^internal-"),
                new RuleActions(null, false, false, null, null, null, null, "[EXTERNAL] ", null, true));
        rule("hold outside", outside, null, QUARANTINE); // skipped only if "banner, stop" applied

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();

        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::name).containsExactly("hold outside");
    }

    @Test
    void aRuleAppliedOnAnUnevaluatedPatternIsLoggedOncePerMessageByNameWithoutTheValue() throws Exception {
        spendTheBudget();
        RuleActions highest = new RuleActions(null, false, false, null, null, 9, null, null, null, false); // does not end the rules
        rule("score promotions", campaign("^promo-"), null, highest);
        rule("score campaigns", campaign("\\d{4}"), null, highest);
        rule("score promotions after anti-spam", new RulePredicates(null, null, null, null, null, null, null, null,
                new RulePredicates.HeaderPattern("X-Campaign", List.of("spring$")), null, 0), null, highest);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err; // slf4j-simple writes to System.err as it is at each write
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        Facts.MailFlowRules r;
        try {
            r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();
        } finally {
            System.setErr(stderr);
        }

        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::name)
                .containsExactly("score promotions", "score campaigns", "score promotions after anti-spam");
        String warnings = log.toString(StandardCharsets.UTF_8);
        assertThat(warnings.lines().filter(l -> l.contains("WARN") && l.contains("could not be evaluated")))
                .singleElement().asString().contains("'score promotions'").doesNotContain("promo-2025-spring");
    }

    /** A review found the warning wrote the rule's name as it is: an administrator could forge log lines with CR and LF. */
    @Test
    void theWarningEscapesControlsInTheRuleName() throws Exception {
        spendTheBudget();
        rule("hold\r\n[main] WARN forged line\u001b[2J \\u000a", campaign("^promo-"), null, QUARANTINE);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            withBudgetSpentByTheFirstPattern();
        } finally {
            System.setErr(stderr);
        }

        String warnings = log.toString(StandardCharsets.UTF_8);
        assertThat(warnings.lines()).noneMatch(l -> l.startsWith("[main] WARN forged"));
        assertThat(warnings).doesNotContain("\u001b")
                .contains("'hold\\u000d\\u000a[main] WARN forged line\\u001b[2J \\u005cu000a'");
    }

    @Test
    void patternsEvaluatedBeforeTheBudgetRanOutDecideAsBefore() throws Exception {
        rule("hold newsletters", campaign("^newsletter"), null, QUARANTINE); // answered: no match, and the budget is spent
        rule("tag fabrikam", p("senderDomain", List.of("fabrikam.example")), null, header("fabrikam"));

        Facts.MailFlowRules r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();
        assertThat(r.ending()).isNull();
        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::name).containsExactly("tag fabrikam");
        assertThat(r.hits().getFirst().why()).isNull();

        rules.rules(org).forEach(x -> rules.delete(x.id()));
        rule("trust promotions", campaign("^promo-"), null, BYPASS); // answered: a match
        rule("hold fabrikam", p("senderDomain", List.of("fabrikam.example")), null, QUARANTINE);

        r = withBudgetSpentByTheFirstPattern().fact(Facts.MailFlowRules.class).orElseThrow();
        assertThat(r.scl()).isEqualTo(-1);
        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::name).containsExactly("trust promotions", "hold fabrikam");
        assertThat(r.hits()).extracting(Facts.MailFlowRules.Hit::why).containsOnlyNulls();
    }
}
