package sluice.core.rule;

import org.junit.jupiter.api.Test;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Pipeline;
import sluice.core.filter.Stage;
import sluice.core.filter.Verdict;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryDirectory;
import sluice.core.testing.MemoryPolicies;
import sluice.core.testing.MemoryTransportRules;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule stages in the pipeline: after anti-malware (a malware verdict wins), before anti-spam (a
 * setScl replaces its SCL), the sclOver rules after it; and what the decision adds to the copy.
 */
class PipelineWithRulesTest {

    private final MemoryDirectory directory = new MemoryDirectory();
    private final MemoryTransportRules rules = new MemoryTransportRules();
    private final MemoryPolicies policies = new MemoryPolicies();
    private final List<String> ran = new ArrayList<>();
    private final String org = Contoso.organization(directory);
    private int spamScl = 1;
    private boolean malware;

    private Stage fixed(String name, Runnable facts, java.util.function.Consumer<Findings> add) {
        return new Stage() {
            @Override public String name() { return name; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) {
                ran.add(name);
                add.accept(f);
                return Optional.empty();
            }
        };
    }

    private Verdict run() throws Exception {
        return run(new Pipeline(List.of(
                fixed("malware", null, f -> f.add(new Facts.Malware(malware ? List.of("EICAR") : List.of(), false))),
                new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM),
                fixed("spam", null, f -> f.add(new Facts.Spam(spamScl, 0.5, "NONE"))),
                new TransportRuleStage(rules, directory, TransportRuleStage.Phase.AFTER_ANTI_SPAM)), policies));
    }

    /** As the server builds it with {@code protection.enabled: false}. */
    private Verdict runWithProtectionOff() throws Exception {
        return run(Pipeline.rulesOnly(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM))));
    }

    private Verdict run(Pipeline p) throws Exception {
        return run(p, MailFlowRulesTest.MESSAGE.getBytes());
    }

    private Verdict run(Pipeline p, byte[] content) throws Exception {
        return p.inspect(new Inspection(org, false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("192.0.2.7"),
                InetAddress.getByName("192.0.2.7"), "mx.fabrikam.example", true, "alice@fabrikam.example",
                List.of(Address.parse("bob@contoso.example")), content));
    }

    private TransportRule rule(String name, RulePredicates when, RuleActions actions) {
        return rules.create(new TransportRule("", org, name, 99, true, null, when, null, actions));
    }

    private static RuleActions actions(Integer scl, RuleActions.SetHeader header, String prefix) {
        return new RuleActions(null, false, false, null, null, scl, header, prefix, null, false);
    }

    @Test
    void headerPrefixAndRulesFieldOnTheDeliveredCopy() throws Exception {
        TransportRule r = rule("tag", null, actions(null, new RuleActions.SetHeader("X-Tagged", "yes"), "[EXT] "));
        Verdict.Deliver d = (Verdict.Deliver) run();
        assertThat(d.headers()).contains("X-Tagged: yes", "X-Sluice-Rules: " + r.id());
        assertThat(d.headers()).anyMatch(h -> h.startsWith("X-Sluice-Antispam-Report:") && h.contains("TRANSPORT_RULE"));
        assertThat(d.subjectPrefix()).isEqualTo("[EXT] ");
    }

    @Test
    void setSclReplacesAntiSpamsVerdict() throws Exception {
        rule("mark spam", null, actions(9, null, null));
        assertThat(run()).as("SCL 9 is high-confidence spam: quarantine by default").isInstanceOf(Verdict.Quarantine.class);

        rules.rules(org).forEach(x -> rules.delete(x.id()));
        spamScl = 9;
        rule("trusted partner", null, actions(-1, null, null));
        Verdict.Deliver d = (Verdict.Deliver) run();
        assertThat(d.junk()).isFalse();
        assertThat(d.headers()).anyMatch(h -> h.contains("SCL:-1;SFV:SKN"));
    }

    @Test
    void sclOverRulesSeeAntiSpamsScl() throws Exception {
        spamScl = 6;
        rule("spam to legal", new RulePredicates(null, null, null, null, null, null, null, null, null, null, 5),
                actions(null, null, "[SCL>=5] "));
        Verdict.Deliver d = (Verdict.Deliver) run();
        assertThat(d.junk()).isTrue();
        assertThat(d.subjectPrefix()).startsWith("[SCL>=5] ");
    }

    @Test
    void malwareIsDecidedBeforeRulesCouldLetItThrough() throws Exception {
        malware = true;
        rule("bypass", null, actions(-1, null, null));
        assertThat(run()).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void aRejectingRuleRefusesWithItsReplyAndLaterRulesDoNotRun() throws Exception {
        rule("no", null, new RuleActions(new RuleActions.Rejection("Not here", null), false, false, null, null, null, null, null, null, false));
        rule("tag", null, actions(null, new RuleActions.SetHeader("X-Tagged", "yes"), null));
        Verdict v = run();
        assertThat(((Verdict.Reject) v).reply().toString()).startsWith("550 5.7.1 Not here");
        assertThat(((Verdict.Reject) v).reason()).contains("mail flow rule 'no'");
    }

    private static final RuleActions QUARANTINE = new RuleActions(null, false, true, null, null, null, null, null, null, false);

    @Test
    void aQuarantiningRuleDoesNotTurnMalwareIntoAReleasablePolicyHit() throws Exception {
        malware = true;
        rule("hold everything", null, QUARANTINE);
        assertThat(run()).as("the anti-malware policy rejects by default").isInstanceOf(Verdict.Reject.class)
                .extracting(v -> ((Verdict.Reject) v).reason()).asString().startsWith("malware: EICAR");

        policies.antiMalware = new sluice.core.filter.policy.AntiMalwarePolicy(true,
                sluice.core.filter.policy.AntiMalwarePolicy.DEFAULT_FILE_TYPES, true, java.time.Duration.ofDays(30));
        assertThat(run()).isInstanceOfSatisfying(Verdict.Quarantine.class,
                q -> assertThat(q.reason()).isEqualTo(Verdict.QuarantineReason.MALWARE));
    }

    @Test
    void aRuleThatEndsTheMessagesWayDoesNotSkipTheFailedScansDeferral() throws Exception {
        for (RuleActions ends : List.of(QUARANTINE, new RuleActions(null, true, false, null, null, null, null, null, null, false))) {
            rules.rules(org).forEach(x -> rules.delete(x.id()));
            rule("ends", null, ends);
            Verdict v = run(new Pipeline(List.of(
                    fixed("malware", null, f -> f.add(new Facts.Malware(List.of(), true))),
                    new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies));
            assertThat(v).isInstanceOf(Verdict.Defer.class);
        }
    }

    @Test
    void aQuarantiningRuleDoesNotSkipTheConnectionBlockList() throws Exception {
        rule("hold everything", null, QUARANTINE);
        Verdict v = run(new Pipeline(List.of(
                fixed("connection", null, f -> f.add(new Facts.Connection(false, true, "the organization's IP block list"))),
                new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies));
        assertThat(v).isInstanceOfSatisfying(Verdict.Reject.class, r -> assertThat(r.reply().toString()).contains("blocked"));
    }

    @Test
    void aQuarantiningRuleHoldsAFailedDmarcAsPhishAndKeepsDmarcsReject() throws Exception {
        rule("hold everything", null, QUARANTINE);
        Verdict held = run(dmarcFailing("quarantine"));
        assertThat(held).isInstanceOfSatisfying(Verdict.Quarantine.class, q -> {
            assertThat(q.reason()).as("the helpdesk may not release a phish").isEqualTo(Verdict.QuarantineReason.PHISH);
            assertThat(q.details()).contains("mail flow rule 'hold everything'").contains("DMARC");
        });
        assertThat(run(dmarcFailing("reject"))).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply().toString()).startsWith("550 5.7.509"));
    }

    @Test
    void aQuarantiningRuleHoldsOtherMailAsPolicyWithTheFiltersHeaders() throws Exception {
        TransportRule hold = rule("hold everything", null, QUARANTINE);
        assertThat(run()).isInstanceOfSatisfying(Verdict.Quarantine.class, q -> {
            assertThat(q.reason()).isEqualTo(Verdict.QuarantineReason.POLICY);
            assertThat(q.details()).isEqualTo("quarantined by mail flow rule 'hold everything' (" + hold.id() + ")");
            assertThat(q.headers()).contains("X-Sluice-Rules: " + hold.id())
                    .anyMatch(h -> h.startsWith("X-Sluice-Antispam-Report:"));
        });
    }

    /** A review found that only DMARC and spoofing kept their way: a rule's quarantine made a rejected HSPM a releasable POLICY hold. */
    @Test
    void aQuarantiningRuleDoesNotSoftenTheSpamPolicysRejectOrHold() throws Exception {
        rule("hold everything", null, QUARANTINE);
        spamScl = 9;
        assertThat(run()).isInstanceOfSatisfying(Verdict.Quarantine.class, q -> {
            assertThat(q.reason()).isEqualTo(Verdict.QuarantineReason.HIGH_CONFIDENCE_SPAM);
            assertThat(q.details()).contains("category HSPM", "mail flow rule 'hold everything'");
        });
        var d = sluice.core.filter.policy.AntiSpamPolicy.DEFAULT;
        policies.antiSpam = new sluice.core.filter.policy.AntiSpamPolicy(5, 7, d.spamAction(),
                sluice.core.filter.policy.SpamAction.REJECT, d.subjectPrefix(), d.dmarcRejectAction(), d.dmarcQuarantineAction(),
                d.spoofAction(), d.quarantineRetention());
        assertThat(run()).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply().toString()).isEqualTo("550 5.7.1 Message rejected as spam"));
    }

    /** A review found that a rule's SCL -1 with its quarantine held a failed DMARC as a releasable POLICY hit. */
    @Test
    void aRuleThatTrustsAndHoldsMailFailingDmarcHoldsItAsPhish() throws Exception {
        rule("trust and hold", null, new RuleActions(null, false, true, null, null, -1, null, null, null, false));
        assertThat(run(dmarcFailing("quarantine"))).isInstanceOfSatisfying(Verdict.Quarantine.class,
                q -> assertThat(q.reason()).isEqualTo(Verdict.QuarantineReason.PHISH));
    }

    @Test
    void aRulesSclMinusOneDoesNotSkipDmarcsReject() throws Exception {
        rule("trust", null, actions(-1, null, null));
        assertThat(run(dmarcFailing("reject"))).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply().toString()).startsWith("550 5.7.509"));
        assertThat(run(dmarcFailing("quarantine"))).isInstanceOf(Verdict.Deliver.class);
    }

    private Pipeline dmarcFailing(String dmarcPolicy) {
        return new Pipeline(List.of(
                fixed("malware", null, f -> f.add(new Facts.Malware(List.of(), false))),
                new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM),
                fixed("spoof", null, f -> f.add(new Facts.Authentication("mx.test; dmarc=fail", "fail", dmarcPolicy, true,
                        "fail", "000", "fail", "fabrikam.example")))), policies);
    }

    @Test
    void withProtectionOffRulesStillActButNoFilterVerdictIsAdded() throws Exception {
        TransportRule tag = rule("tag", null, actions(9, new RuleActions.SetHeader("X-Tagged", "yes"), "[EXT] "));
        Verdict.Deliver d = (Verdict.Deliver) runWithProtectionOff();
        assertThat(d.headers()).as("the rule's field and the rules field, nothing from filters that did not run")
                .containsExactly("X-Tagged: yes", "X-Sluice-Rules: " + tag.id());
        assertThat(d.subjectPrefix()).isEqualTo("[EXT] ");
        assertThat(d.junk()).as("setScl 9 means nothing with anti-spam off").isFalse();

        rules.rules(org).forEach(x -> rules.delete(x.id()));
        rule("no", null, new RuleActions(new RuleActions.Rejection("Not here", null), false, false, null, null, null, null, null, null, false));
        assertThat(((Verdict.Reject) runWithProtectionOff()).reply().toString()).startsWith("550 5.7.1 Not here");
    }

    @Test
    void withProtectionOffRulesThatTestTheSclDoNotRun() throws Exception {
        rule("spam to legal", new RulePredicates(null, null, null, null, null, null, null, null, null, null, 0),
                actions(null, null, "[SCL>=0] "));
        Verdict.Deliver d = (Verdict.Deliver) runWithProtectionOff();
        assertThat(d).isEqualTo(new Verdict.Deliver(false, List.of(), null, "protection is off"));
    }

    @Test
    void rulesThatFailToRunDeferTheMessageInsteadOfSkippingIt() throws Exception {
        TransportRules broken = new TransportRules() {
            @Override public List<TransportRule> rules(String organizationId) { throw new IllegalStateException("rule store down"); }
            @Override public Optional<TransportRule> rule(String id) { return Optional.empty(); }
            @Override public TransportRule create(TransportRule rule) { return rule; }
            @Override public TransportRule update(TransportRule rule) { return rule; }
            @Override public void delete(String id) { }
        };
        for (Pipeline p : List.of(
                new Pipeline(List.of(new TransportRuleStage(broken, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies),
                Pipeline.rulesOnly(List.of(new TransportRuleStage(broken, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM))))) {
            assertThat(p.requiredStages()).containsExactly("transport-rules");
            assertThat(run(p)).as("a rule may block it: the client tries again later").isInstanceOfSatisfying(Verdict.Defer.class, d -> {
                assertThat(d.reply().toString()).as("its own text, not the scan's; no internals")
                        .isEqualTo("451 4.7.0 Temporary failure applying mail flow rules, try again later");
                assertThat(d.reason()).matches("stage transport-rules failed: internal error \\(reference [0-9a-f]{8}\\)");
            });
            run(p);
            assertThat(p.deferrals("transport-rules")).as("counted for the node's metrics").isEqualTo(2);
            assertThat(p.deferrals("anti-spam")).isZero();
        }
    }

    @Test
    void aFromAddressWithAnUnreadableDomainSkipsNoRule() throws Exception {
        // U+FDFA maps to 18 letters: 56 of them made the IDN code throw what the rules did not expect, and the message went on without them
        rule("bank", new RulePredicates(null, List.of("bank.example"), null, null, null, null, null, null, null, null, null),
                actions(null, new RuleActions.SetHeader("X-Bank", "yes"), null));
        String from = "ceo@bank.example, x@" + "\uFDFA".repeat(56) + ".example";
        byte[] content = ("From: " + from + "\r\nTo: bob@contoso.example\r\nSubject: hi\r\n\r\nbody\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Pipeline p : List.of(
                new Pipeline(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies),
                Pipeline.rulesOnly(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM))))) {
            assertThat(run(p, content)).isInstanceOfSatisfying(Verdict.Deliver.class, d -> assertThat(d.headers()).contains("X-Bank: yes"));
        }
    }

    @Test
    void rulesReadFromAsDmarcDoesAndSkipAnAddressWithAnEncodedWord() throws Exception {
        // some readers show =?utf-8?q?ceo=40bank.example?=@evil.example as ceo@bank.example...: DMARC refuses it, so do
        // rules that may let mail through (here a lower SCL)
        rule("evil", new RulePredicates(null, List.of("evil.example"), null, null, null, null, null, null, null, null, null),
                actions(-1, new RuleActions.SetHeader("X-Evil", "yes"), null));
        Pipeline p = new Pipeline(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies);
        for (String from : new String[] {"me@evil.example", "=?utf-8?q?ceo=40bank.example?=@evil.example"}) {
            byte[] content = ("From: " + from + "\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
            Inspection m = new Inspection(org, false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("192.0.2.7"),
                    InetAddress.getByName("192.0.2.7"), "mx.fabrikam.example", true, "", List.of(Address.parse("bob@contoso.example")), content);
            assertThat(p.inspect(m)).as(from).isInstanceOfSatisfying(Verdict.Deliver.class,
                    d -> assertThat(d.headers().contains("X-Evil: yes")).isEqualTo(from.startsWith("me@")));
        }
    }

    private Verdict.Deliver deliveredFrom(String from) throws Exception {
        byte[] content = ("From: " + from + "\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Pipeline p = new Pipeline(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies);
        Verdict v = p.inspect(new Inspection(org, false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("192.0.2.7"),
                InetAddress.getByName("192.0.2.7"), "mx.fabrikam.example", true, "alice@fabrikam.example",
                List.of(Address.parse("bob@contoso.example")), content));
        assertThat(v).as(from).isInstanceOf(Verdict.Deliver.class);
        return (Verdict.Deliver) v;
    }

    private static RulePredicates senderDomainIs(String domain) {
        return new RulePredicates(null, List.of(domain), null, null, null, null, null, null, null, null, null);
    }

    private Verdict verdictFrom(String from) throws Exception {
        byte[] content = ("From: " + from + "\r\nSubject: hi\r\n\r\nbody\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Pipeline p = new Pipeline(List.of(new TransportRuleStage(rules, directory, TransportRuleStage.Phase.BEFORE_ANTI_SPAM)), policies);
        return p.inspect(new Inspection(org, false, QueuedMessage.Origin.INTERNET, InetAddress.getByName("192.0.2.7"),
                InetAddress.getByName("192.0.2.7"), "mx.fabrikam.example", true, "alice@fabrikam.example",
                List.of(Address.parse("bob@contoso.example")), content));
    }

    @Test
    void aRuleThatOnlyRestrictsSeesTheDomainsAnUnreadableFromShows() throws Exception {
        // a sender must not dodge a blocking rule by writing From so that the parser refuses it; a rule that may let
        // mail through or add trust (SCL -1, stop processing, a header, a subject prefix) or an exception must not match more for it
        String[] unreadable = {"ceo\uFF20bank.example me@evil.example", "=?utf-8?q?x?=@evil.example",
                "=?utf-8?q?CEO?= me@evil.example", "=?utf-8?q?ceo=40evil.example?= me@other.example", "ceo\uFF20evil.example",
                "x@bank.example@-a.evil.example", "ceo\uFF20ev\u200Bil.example", "ceo@evil.example\u200F"};
        TransportRule hold = rule("hold", senderDomainIs("evil.example"), QUARANTINE);
        for (String from : unreadable) assertThat(verdictFrom(from)).as(from).isInstanceOf(Verdict.Quarantine.class);
        rules.delete(hold.id());
        rule("mark", senderDomainIs("evil.example"), actions(null, new RuleActions.SetHeader("X-Evil", "yes"), "[evil]"));
        rule("trust", senderDomainIs("evil.example"), actions(-1, new RuleActions.SetHeader("X-Trust", "yes"), null));
        rule("stop", senderDomainIs("evil.example"), new RuleActions(null, false, false, null, null, null,
                new RuleActions.SetHeader("X-Stop", "yes"), null, null, true));
        rules.create(new TransportRule("", org, "excepted", 99, true, null, null, senderDomainIs("evil.example"),
                actions(null, new RuleActions.SetHeader("X-Excepted", "no"), null)));
        for (String from : unreadable) {
            assertThat(deliveredFrom(from).headers()).as(from).contains("X-Excepted: no")
                    .doesNotContain("X-Evil: yes", "X-Trust: yes", "X-Stop: yes");
        }
        // readable: every rule sees it (an all-ASCII A-label is a name as it stands)
        assertThat(deliveredFrom("x@xn--abc.evil.example").headers()).contains("X-Evil: yes", "X-Trust: yes", "X-Stop: yes")
                .doesNotContain("X-Excepted: no");
        assertThat(deliveredFrom("=?utf-8?q?x?=@other.example").headers()).contains("X-Excepted: no").doesNotContain("X-Evil: yes");
        assertThat(deliveredFrom("\"Team =? HQ\": me@other.example;").headers()).contains("X-Excepted: no").doesNotContain("X-Evil: yes");
    }

    @Test
    void aRestrictiveRuleSeesTheDomainOfAnAddressTheParserRefuses() throws Exception {
        // one at sign, no blank: an addr-spec to the splitter, yet no address (a hyphen at a label's end, a character
        // UTS #46 disallows, a '*' in the domain, a local part too long): MAIL FROM is elsewhere, From shows evil.example
        rule("hold", senderDomainIs("evil.example"), QUARANTINE);
        for (String from : new String[] {"x@-a.evil.example", "x@a-.evil.example", "ceo@\u2488x.evil.example", "ceo@a*b.evil.example",
                "x".repeat(65) + "@evil.example", "Jane <x@-a.evil.example>"})
            assertThat(verdictFrom(from)).as(from).isInstanceOf(Verdict.Quarantine.class);
        assertThat(verdictFrom("x@-a.other.example")).isInstanceOf(Verdict.Deliver.class);
    }

    /** A review folded bank.example past the 16K characters read of an unreadable From: a blocking rule must not miss it. */
    @Test
    void aRestrictiveRuleSeesAnUnreadableFromLongerThanIsReadAsShowingItsDomain() throws Exception {
        StringBuilder from = new StringBuilder("ceo");
        for (int line = 0; line < 20; line++) from.append("@a.example".repeat(90)).append("\r\n ");
        from.append("@evil.example");
        TransportRule hold = rule("hold", senderDomainIs("evil.example"), QUARANTINE);
        rule("mark", senderDomainIs("evil.example"), actions(null, new RuleActions.SetHeader("X-Evil", "yes"), null));
        assertThat(verdictFrom(from.toString())).isInstanceOf(Verdict.Quarantine.class);
        assertThat(verdictFrom("ceo@a.example@other.example")).isInstanceOf(Verdict.Deliver.class);
        // a rule that may add trust does not match more for it
        rules.delete(hold.id());
        assertThat(deliveredFrom(from.toString()).headers()).doesNotContain("X-Evil: yes");
    }

    /**
     * A tripwire: an action added to RuleActions must be judged first in Candidate.onlyRestricts (can it only hold or
     * refuse?) and Candidate.grantsTrust (can it lower the message's guard?), which decide its {@link Candidate.Effect}.
     */
    @Test
    void everyActionIsJudgedByOnlyRestrictsAndGrantsTrust() {
        assertThat(java.util.Arrays.stream(RuleActions.class.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName))
                .as("a new action: decide in Candidate.onlyRestricts whether it can only hold or refuse and in"
                        + " Candidate.grantsTrust whether it can lower the message's guard, then list it here")
                .containsExactly("rejectMessage", "deleteMessage", "quarantine", "redirectTo", "addBcc", "setScl", "setHeader",
                        "prependSubject", "routeUsingConnector", "stopProcessingRules");
    }

    @Test
    void onlyActionsThatHoldOrRefuseRestrict() {
        assertThat(Candidate.onlyRestricts(QUARANTINE)).isTrue();
        assertThat(Candidate.onlyRestricts(new RuleActions(new RuleActions.Rejection(null, null), false, false, null, null, null, null,
                null, null, false))).isTrue();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, true, false, null, null, null, null, null, null, false))).isTrue();
        assertThat(Candidate.onlyRestricts(actions(9, null, null))).isTrue();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, false, true, null, null, 9, null, null, null, false))).isTrue();
        assertThat(Candidate.onlyRestricts(actions(8, null, null))).as("a lower SCL than anti-spam's may let spam in").isFalse();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, false, true, null, null, null, null, null, null, true)))
                .as("after an ending, stopping changes nothing").isTrue();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, true, false, null, null, null, null, null, null, true))).isTrue();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, false, false, null, null, 9, null, null, null, true)))
                .as("SCL 9 does not end the rules: stopping skips later ones").isFalse();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, false, false, null, List.of("x@contoso.example"), null, null, null,
                null, false))).isFalse();
        // what may add trust: a redirect to a partner's pipeline, X-Approved: yes, "[Verified partner]"
        assertThat(Candidate.onlyRestricts(new RuleActions(null, false, false, List.of("desk@contoso.example"), null, null, null, null,
                null, false))).isFalse();
        assertThat(Candidate.onlyRestricts(actions(null, new RuleActions.SetHeader("X-Approved", "yes"), null))).isFalse();
        assertThat(Candidate.onlyRestricts(actions(9, new RuleActions.SetHeader("X-Approved", "yes"), null))).isFalse();
        assertThat(Candidate.onlyRestricts(actions(null, null, "[Verified partner] "))).isFalse();
        assertThat(Candidate.onlyRestricts(new RuleActions(null, false, true, null, null, null, null, "[held] ", null, false))).isFalse();
    }

    @Test
    void actionsThatCanLowerTheGuardGrantTrustOthersNeitherRestrictNorTrust() {
        assertThat(Candidate.Effect.of(actions(-1, null, null))).isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(actions(4, null, null))).isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(actions(null, new RuleActions.SetHeader("X-Approved", "yes"), null))).isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(new RuleActions(null, false, true, null, null, null, new RuleActions.SetHeader("X-Held", "yes"),
                null, null, false))).as("a rule that holds the message lowers nothing, whatever else it sets").isEqualTo(Candidate.Effect.OTHER);
        assertThat(Candidate.Effect.of(new RuleActions(null, false, false, null, List.of("x@contoso.example"), 4, null, null, null,
                false))).as("one action that lowers the guard is enough").isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(new RuleActions(null, false, false, null, null, 9, null, null, null, true)))
                .as("stopping without an ending skips later rules").isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(actions(5, null, null))).as("replaces an SCL 9: high-confidence spam becomes spam")
                .isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(actions(8, null, null))).isEqualTo(Candidate.Effect.TRUSTS);
        assertThat(Candidate.Effect.of(actions(null, null, "[EXTERNAL] "))).isEqualTo(Candidate.Effect.OTHER);
        assertThat(Candidate.Effect.of(new RuleActions(null, false, false, List.of("soc@contoso.example"), List.of("x@contoso.example"),
                null, null, null, "partner", false))).isEqualTo(Candidate.Effect.OTHER);
        assertThat(Candidate.Effect.of(new RuleActions(null, true, false, null, List.of("x@contoso.example"), null, null, null, null,
                false))).isEqualTo(Candidate.Effect.OTHER);
        assertThat(Candidate.Effect.of(QUARANTINE)).isEqualTo(Candidate.Effect.RESTRICTS);
    }

    @Test
    void aFromEndingInAnIdeographicFullStopIsReadNotDeferred() throws Exception {
        // "localhost\u3002" once made a parent of no name, which threw in every senderDomainIs rule: 451 for ever
        rule("evil", senderDomainIs("evil.example"), actions(null, new RuleActions.SetHeader("X-Evil", "yes"), null));
        assertThat(deliveredFrom("x@localhost\u3002").headers()).doesNotContain("X-Evil: yes");
        assertThat(deliveredFrom("x@evil.example\u3002").headers()).contains("X-Evil: yes");
    }
}
