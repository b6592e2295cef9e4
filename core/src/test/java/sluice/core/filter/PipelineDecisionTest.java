package sluice.core.filter;

import org.junit.jupiter.api.Test;
import sluice.core.connector.IpRange;
import sluice.core.filter.connection.ConnectionFilterStage;
import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.ConnectionFilterPolicy;
import sluice.core.filter.policy.SpamAction;
import sluice.core.mail.Address;
import sluice.core.mail.QueuedMessage;
import sluice.core.testing.MemoryPolicies;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy's decision for each combination of findings, with stages that report fixed facts. */
class PipelineDecisionTest {

    private final MemoryPolicies policies = new MemoryPolicies();

    private static Inspection message(boolean internal) throws Exception {
        return new Inspection("org", internal, internal ? QueuedMessage.Origin.SUBMISSION : QueuedMessage.Origin.INTERNET,
                InetAddress.getByName("192.0.2.7"), InetAddress.getByName("198.51.100.9"), "mail.example.net", true,
                "a@example.net", List.of(Address.parse("b@contoso.example")), "Subject: x\r\n\r\nhi\r\n".getBytes());
    }

    private static Stage reporting(Fact... facts) {
        return new Stage() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public Optional<Verdict> inspect(Inspection m, Findings f) {
                for (Fact fact : facts) f.add(fact);
                f.add(new Symbol("TEST_SYMBOL", 1, null));
                return Optional.empty();
            }
        };
    }

    private Verdict run(boolean internal, Fact... facts) throws Exception {
        return new Pipeline(List.of(new ConnectionFilterStage(policies), reporting(facts)), policies).inspect(message(internal));
    }

    private static Facts.Authentication dmarc(String result, String policy, String compauth) {
        return new Facts.Authentication("mx.test; dmarc=" + result, result, policy, true, compauth, "001",
                "fail".equals(compauth) ? "fail" : "pass", "example.net");
    }

    @Test
    void cleanMailIsDeliveredWithTheReportHeader() throws Exception {
        Verdict v = run(false, new Facts.Spam(1, 0.05, "NONE"), dmarc("pass", "reject", "pass"));
        assertThat(v).isInstanceOf(Verdict.Deliver.class);
        Verdict.Deliver d = (Verdict.Deliver) v;
        assertThat(d.junk()).isFalse();
        assertThat(d.headers()).containsExactly("Authentication-Results: mx.test; dmarc=pass",
                "X-Sluice-Antispam-Report: CIP:198.51.100.9;H:mail.example.net;SCL:1;SFV:NSPM;CAT:NONE;IPV:NLI;SYM:TEST_SYMBOL");
    }

    @Test
    void spamBandsFollowThePolicy() throws Exception {
        assertThat(((Verdict.Deliver) run(false, new Facts.Spam(5, 0.9, "SPAM"))).junk()).isTrue();
        assertThat(run(false, new Facts.Spam(8, 0.999, "SPAM"))).isInstanceOf(Verdict.Quarantine.class)
                .extracting(v -> ((Verdict.Quarantine) v).reason()).isEqualTo(Verdict.QuarantineReason.HIGH_CONFIDENCE_SPAM);
        policies.antiSpam = new AntiSpamPolicy(5, 7, SpamAction.MODIFY_SUBJECT, SpamAction.REJECT, "[SPAM] ",
                SpamAction.REJECT, SpamAction.QUARANTINE, SpamAction.MOVE_TO_JMF, Duration.ofDays(15));
        assertThat(((Verdict.Deliver) run(false, new Facts.Spam(6, 0.95, "SPAM"))).subjectPrefix()).isEqualTo("[SPAM] ");
        assertThat(run(false, new Facts.Spam(9, 1, "SPAM"))).isInstanceOf(Verdict.Reject.class)
                .extracting(v -> ((Verdict.Reject) v).reply().toString()).isEqualTo("550 5.7.1 Message rejected as spam");
    }

    @Test
    void internalMailSkipsSpamFilteringButNeverMalware() throws Exception {
        Verdict.Deliver d = (Verdict.Deliver) run(true, new Facts.Spam(9, 1, "SPAM"), dmarc("fail", "reject", "fail"));
        assertThat(d.junk()).isFalse();
        assertThat(d.headers().getLast()).contains(";SCL:-1;SFV:SKI;");
        assertThat(run(true, new Facts.Malware(List.of("Eicar-Test-Signature"), false))).isInstanceOf(Verdict.Reject.class);
    }

    @Test
    void dmarcRejectIsHonouredAndQuarantineQuarantines() throws Exception {
        Verdict v = run(false, new Facts.Spam(1, 0.1, "NONE"), dmarc("fail", "reject", "fail"));
        assertThat(v).isInstanceOf(Verdict.Reject.class);
        assertThat(((Verdict.Reject) v).reply().toString()).startsWith("550 5.7.509 Access denied");
        assertThat(run(false, dmarc("fail", "quarantine", "fail"))).isInstanceOf(Verdict.Quarantine.class)
                .extracting(x -> ((Verdict.Quarantine) x).reason()).isEqualTo(Verdict.QuarantineReason.PHISH);
        assertThat(((Verdict.Deliver) run(false, dmarc("none", null, "fail"))).junk()).as("compauth fail with SPF fail: Junk").isTrue();
        var nothingPublished = new Facts.Authentication("mx.test; spf=none", "none", null, true, "fail", "001", "none", "example.net");
        assertThat(((Verdict.Deliver) run(false, nothingPublished)).junk()).as("no SPF, no DKIM, no DMARC: only a symbol").isFalse();
    }

    @Test
    void malwareIsRefusedOrQuarantinedAndAFailedScanDefers() throws Exception {
        assertThat(run(false, new Facts.Malware(List.of("Eicar"), false))).isInstanceOf(Verdict.Reject.class);
        policies.antiMalware = new AntiMalwarePolicy(true, AntiMalwarePolicy.DEFAULT_FILE_TYPES, true, Duration.ofDays(30));
        assertThat(run(false, new Facts.Malware(List.of("Eicar"), false))).isInstanceOf(Verdict.Quarantine.class);
        assertThat(run(false, new Facts.Malware(List.of(), true))).isInstanceOf(Verdict.Defer.class);
    }

    @Test
    void theIpBlockListRefusesAndTheAllowListSkipsSpamFiltering() throws Exception {
        policies.connection = new ConnectionFilterPolicy(List.of(IpRange.parse("198.51.100.0/24")), List.of());
        Verdict.Deliver d = (Verdict.Deliver) run(false, new Facts.Spam(9, 1, "SPAM"));
        assertThat(d.junk()).isFalse();
        assertThat(d.headers().getLast()).contains(";SCL:-1;SFV:SKN;").contains("IPV:CAL").contains("IP_ALLOWLISTED");
        policies.connection = new ConnectionFilterPolicy(List.of(IpRange.parse("198.51.100.0/24")),
                List.of(IpRange.parse("198.51.100.9")));
        assertThat(run(false)).isInstanceOf(Verdict.Reject.class);
    }

    /** EOP's SCL -1 still acts on high-confidence phish: the allow list does not let through a domain's forgery under p=reject. */
    @Test
    void theAllowListDoesNotSkipDmarcsReject() throws Exception {
        policies.connection = new ConnectionFilterPolicy(List.of(IpRange.parse("198.51.100.0/24")), List.of());
        assertThat(run(false, dmarc("fail", "reject", "fail"))).isInstanceOfSatisfying(Verdict.Reject.class,
                r -> assertThat(r.reply().toString()).startsWith("550 5.7.509"));
        assertThat(run(false, dmarc("fail", "quarantine", "fail"))).as("p=quarantine and spoofing are the allow list's to skip")
                .isInstanceOf(Verdict.Deliver.class);
    }

    @Test
    void aRequiredStageThatFailsDefersAndAnOptionalOneIsSkipped() throws Exception {
        Stage broken = new Stage() {
            @Override public String name() { return "broken"; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) { throw new IllegalStateException("boom"); }
        };
        Stage required = new Stage() {
            @Override public String name() { return "scanner"; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) { throw new IllegalStateException("boom"); }
            @Override public boolean required() { return true; }
        };
        Findings f = new Findings();
        assertThat(new Pipeline(List.of(broken), policies).inspect(message(false), f)).isInstanceOf(Verdict.Deliver.class);
        assertThat(f.has("STAGE_FAILED")).isTrue();
        assertThat(new Pipeline(List.of(required), policies).inspect(message(false))).isInstanceOf(Verdict.Defer.class);
    }

    @Test
    void aStageWhoseStackOverflowsFailsLikeOneThatThrows() throws Exception {
        // a regular expression that recurses per character overflows a virtual thread's stack on a
        // few thousand characters of header: that is a defect of the stage, not of the message
        Stage deep = new Stage() {
            @Override public String name() { return "deep"; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) { throw new StackOverflowError(); }
        };
        Stage requiredDeep = new Stage() {
            @Override public String name() { return "deep-scanner"; }
            @Override public Optional<Verdict> inspect(Inspection m, Findings f) { throw new StackOverflowError(); }
            @Override public boolean required() { return true; }
            @Override public void connected(InetAddress client) { throw new StackOverflowError(); }
        };
        Findings f = new Findings();
        assertThat(new Pipeline(List.of(deep), policies).inspect(message(false), f)).isInstanceOf(Verdict.Deliver.class);
        assertThat(f.symbols()).contains(new Symbol("STAGE_FAILED", 0, "deep"));
        Pipeline withRequired = new Pipeline(List.of(requiredDeep), policies);
        withRequired.connected(InetAddress.getByName("192.0.2.7"));
        assertThat(withRequired.inspect(message(false))).isInstanceOfSatisfying(Verdict.Defer.class,
                d -> assertThat(d.reason()).as("what went wrong is in the log under the reference")
                        .matches("stage deep-scanner failed: internal error \\(reference [0-9a-f]{8}\\)"));
    }

    @Test
    void aPipelineThatIsOffDeliversEverythingUntouched() throws Exception {
        Verdict v = Pipeline.off().inspect(message(false));
        assertThat(v).isEqualTo(new Verdict.Deliver(false, List.of(), null, "protection is off"));
    }
}
