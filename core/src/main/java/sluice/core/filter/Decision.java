package sluice.core.filter;

import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.Policies;
import sluice.core.filter.policy.SpamAction;
import sluice.smtp.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Turns findings into a verdict under the organization's policies, in EOP's order: malware (never
 * delivered), blocked connection, DMARC and composite authentication, spam confidence. Every
 * delivered message carries an X-Sluice-Antispam-Report header, and Authentication-Results when
 * anti-spoofing ran.
 */
final class Decision {

    static final Reply MALWARE = Reply.of(550, "5.7.1", "Message rejected: it contains malware");
    static final Reply SCAN_FAILED = Reply.of(451, "4.7.0", "Temporary failure scanning the message, try again later");
    static final Reply BLOCKED = Reply.of(550, "5.7.1", "Service unavailable; sending IP address is blocked");
    static final Reply SPAM = Reply.of(550, "5.7.1", "Message rejected as spam");
    static final Reply DMARC = Reply.of(550, "5.7.509",
            "Access denied, sending domain does not pass DMARC verification and has a DMARC policy of reject");

    private final Policies policies;

    Decision(Policies policies) {
        this.policies = policies;
    }

    Verdict decide(Inspection m, Findings f) {
        var malware = f.fact(Facts.Malware.class);
        if (malware.isPresent() && malware.get().infected()) return malware(m, malware.get());
        if (malware.isPresent() && malware.get().scanFailed()) return new Verdict.Defer(SCAN_FAILED, "malware scan failed");
        var connection = f.fact(Facts.Connection.class);
        if (connection.isPresent() && connection.get().blockListed())
            return new Verdict.Reject(BLOCKED, "IP " + m.originatingAddress().getHostAddress() + " on " + connection.get().list());

        boolean allowed = connection.map(Facts.Connection::allowListed).orElse(false);
        boolean skip = m.internal() || allowed;
        int scl = skip ? -1 : f.fact(Facts.Spam.class).map(Facts.Spam::scl).orElse(0);
        AntiSpamPolicy policy = policies.antiSpam(m.organizationId());
        var auth = f.fact(Facts.Authentication.class);

        String category = "NONE";
        SpamAction action = SpamAction.NO_ACTION;
        Reply refusal = SPAM;
        if (!skip && auth.isPresent() && "fail".equals(auth.get().dmarc()) && auth.get().policyApplies()
                && ("reject".equals(auth.get().dmarcPolicy()) || "quarantine".equals(auth.get().dmarcPolicy()))) {
            boolean reject = "reject".equals(auth.get().dmarcPolicy());
            category = "DMARC";
            action = reject ? policy.dmarcRejectAction() : policy.dmarcQuarantineAction();
            refusal = DMARC;
        } else if (!skip && auth.isPresent() && auth.get().spoofed()) {
            category = "SPOOF";
            action = policy.spoofAction();
        } else if (scl >= policy.highConfidenceSpamScl()) {
            category = "HSPM";
            action = policy.highConfidenceSpamAction();
        } else if (scl >= policy.spamScl()) {
            category = "SPM";
            action = policy.spamAction();
        }
        List<String> headers = new ArrayList<>();
        auth.ifPresent(a -> headers.add("Authentication-Results: " + a.authenticationResults()));
        headers.add(report(m, f, scl, category, allowed));
        return apply(action, category, refusal, policy, headers);
    }

    private Verdict malware(Inspection m, Facts.Malware found) {
        AntiMalwarePolicy policy = policies.antiMalware(m.organizationId());
        String what = String.join(", ", found.detections());
        if (policy.quarantine()) return new Verdict.Quarantine(Verdict.QuarantineReason.MALWARE, what, List.of());
        return new Verdict.Reject(MALWARE, "malware: " + what);
    }

    private static Verdict apply(SpamAction action, String category, Reply refusal, AntiSpamPolicy policy, List<String> headers) {
        String reason = category.equals("NONE") ? "clean" : "category " + category;
        return switch (action) {
            case NO_ACTION, ADD_X_HEADER -> new Verdict.Deliver(false, headers, null, reason);
            case MOVE_TO_JMF -> new Verdict.Deliver(true, headers, null, reason + ", to the Junk Email folder");
            case MODIFY_SUBJECT -> new Verdict.Deliver(false, headers, policy.subjectPrefix(), reason + ", subject prefixed");
            case QUARANTINE -> new Verdict.Quarantine(switch (category) {
                case "HSPM" -> Verdict.QuarantineReason.HIGH_CONFIDENCE_SPAM;
                case "DMARC", "SPOOF" -> Verdict.QuarantineReason.PHISH;
                default -> Verdict.QuarantineReason.SPAM;
            }, reason, headers);
            case REJECT -> new Verdict.Reject(refusal, reason);
        };
    }

    /** EOP's X-Forefront-Antispam-Report, in our own header: source, SCL, verdict and the symbols that led to it. */
    private static String report(Inspection m, Findings f, int scl, String category, boolean allowListed) {
        String sfv = m.internal() ? "SKI" : allowListed ? "SKN" : scl >= 5 ? "SPM" : "NSPM";
        String symbols = f.symbols().stream().map(s -> s.name()).distinct().collect(Collectors.joining(","));
        return "X-Sluice-Antispam-Report: CIP:" + m.originatingAddress().getHostAddress() + ";H:" + clean(m.heloName())
                + ";SCL:" + scl + ";SFV:" + sfv + ";CAT:" + category + ";IPV:" + (allowListed ? "CAL" : "NLI")
                + ";SYM:" + symbols;
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("[^!-~]", "_").replace(';', '_');
    }
}
