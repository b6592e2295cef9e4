package sluice.core.filter;

import sluice.core.filter.policy.AntiMalwarePolicy;
import sluice.core.filter.policy.AntiSpamPolicy;
import sluice.core.filter.policy.Policies;
import sluice.core.filter.policy.SpamAction;
import sluice.smtp.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns findings into a verdict under the organization's policies, in EOP's order: malware (never
 * delivered), a failed scan (deferred), blocked connection, a DMARC policy a From shows that could not be
 * looked up for now (deferred, see {@link Facts.Authentication#dmarcUnknown}), DMARC and composite authentication, then a
 * mail flow rule that ends the message's way, then spam confidence (a mail flow rule's setScl replaces
 * anti-spam's; -1 skips spam and spoof actions like the allow list, but not DMARC's p=reject). A rule never outranks malware, a
 * failed scan or a blocked connection: EOP quarantines malware before transport rules see it. A rule's
 * reject or delete stands against a DMARC or spoof verdict (nobody receives the message either way);
 * a rule's quarantine never softens the filters' reject or hold, and holds a message that failed DMARC
 * or the spoof check as PHISH (which the helpdesk may not release). Every delivered message carries an
 * X-Sluice-Antispam-Report header, and Authentication-Results when anti-spoofing ran.
 */
final class Decision {

    /** What a report value may not hold: anything but visible ASCII. */
    private static final Pattern NOT_VISIBLE = Pattern.compile("[^!-~]");

    static final Reply MALWARE = Reply.of(550, "5.7.1", "Message rejected: it contains malware");
    static final Reply SCAN_FAILED = Reply.of(451, "4.7.0", "Temporary failure scanning the message, try again later");
    static final Reply BLOCKED = Reply.of(550, "5.7.1", "Service unavailable; sending IP address is blocked");
    static final Reply SPAM = Reply.of(550, "5.7.1", "Message rejected as spam");
    static final Reply DMARC_UNKNOWN = Reply.of(451, "4.7.0",
            "Temporary failure checking DMARC for a domain the From shows, try again later");
    static final Reply DMARC = Reply.of(550, "5.7.509",
            "Access denied, sending domain does not pass DMARC verification and has a DMARC policy of reject");

    static final Verdict.Deliver UNFILTERED = new Verdict.Deliver(false, List.of(), null, "protection is off");

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
        var auth = f.fact(Facts.Authentication.class);
        // a domain the From shows may ask for reject, unknown for now: neither an allow list nor a rule may deliver it, and a
        // transient DNS failure is no reason to refuse it for good
        if (!m.internal() && auth.isPresent() && auth.get().dmarcUnknown())
            return new Verdict.Defer(DMARC_UNKNOWN, "DMARC temperror for a domain the From shows");

        boolean allowed = connection.map(Facts.Connection::allowListed).orElse(false);
        var rules = f.fact(Facts.MailFlowRules.class).orElse(Facts.MailFlowRules.NONE);
        // a rule's setScl -1 bypasses spam filtering like the allow list; 0..9 replaces anti-spam's SCL
        boolean ruleBypass = Integer.valueOf(-1).equals(rules.scl());
        boolean skip = m.internal() || allowed || ruleBypass;
        int scl = skip ? -1 : rules.scl() != null ? rules.scl() : f.fact(Facts.Spam.class).map(Facts.Spam::scl).orElse(0);
        AntiSpamPolicy policy = policies.antiSpam(m.organizationId());

        String category = category(m.internal() ? java.util.Optional.empty() : auth, skip, scl, policy);
        SpamAction action = switch (category) {
            case "DMARC" -> "reject".equals(auth.get().dmarcPolicy()) ? policy.dmarcRejectAction() : policy.dmarcQuarantineAction();
            case "SPOOF" -> policy.spoofAction();
            case "HSPM" -> policy.highConfidenceSpamAction();
            case "SPM" -> policy.spamAction();
            default -> SpamAction.NO_ACTION;
        };
        Reply refusal = category.equals("DMARC") ? DMARC : SPAM;
        // what the filters alone made of mail from outside, before a rule's SCL, a rule's ending or the allow list
        String filters = m.internal() ? "NONE" : category(auth, false, f.fact(Facts.Spam.class).map(Facts.Spam::scl).orElse(0), policy);
        // what may be sent on outside is judged on the filters' category, or a rule's own SCL 0..9 when it marks the message
        // spam; a rule's SCL -1 lowers only what reaches the organization's own mailboxes
        String relayed = !filters.equals("NONE") || rules.scl() == null || rules.scl() < 0 ? filters
                : category(java.util.Optional.empty(), false, rules.scl(), policy);
        if (!m.internal()) f.add(new Pipeline.Classification(relayed));
        List<String> headers = new ArrayList<>();
        auth.ifPresent(a -> headers.add("Authentication-Results: " + a.authenticationResults()));
        headers.add(report(m, f, scl, category, allowed, ruleBypass));
        Verdict filtered = apply(action, category, refusal, policy, headers);
        if (rules.ending() != null) filtered = ended(rules.ending(), filtered, filters, headers);
        return withRules(filtered, rules);
    }

    /**
     * EOP's category (CAT) of a message: DMARC, SPOOF, HSPM, SPM or NONE. With {@code bypass} (the allow list,
     * a rule's SCL -1) only a DMARC failure under p=reject counts: EOP's SCL -1 skips spam filtering but still
     * acts on high-confidence phish, and the domain's owner asked for its forgeries to be refused.
     */
    private static String category(java.util.Optional<Facts.Authentication> auth, boolean bypass, int scl, AntiSpamPolicy policy) {
        if (auth.isPresent() && "fail".equals(auth.get().dmarc()) && auth.get().policyApplies()
                && ("reject".equals(auth.get().dmarcPolicy()) || !bypass && "quarantine".equals(auth.get().dmarcPolicy()))) return "DMARC";
        if (!bypass && auth.isPresent() && auth.get().spoofed()) return "SPOOF";
        if (scl >= policy.highConfidenceSpamScl()) return "HSPM";
        if (scl >= policy.spamScl()) return "SPM";
        return "NONE";
    }

    /** With protection off: delivered as it came, or as a rule that ends its way says, plus what matching mail flow rules add. */
    static Verdict unfiltered(Findings f) {
        var rules = f.fact(Facts.MailFlowRules.class).orElse(Facts.MailFlowRules.NONE);
        return withRules(rules.ending() == null ? UNFILTERED : ended(rules.ending(), UNFILTERED, "NONE", List.of()), rules);
    }

    /**
     * A rule's reject, delete or quarantine over what the filters decided (malware, a failed scan and a
     * blocked connection were decided before). A rule's quarantine does not soften the filters' own way:
     * their reject stays a reject, their hold keeps its reason (a high-confidence spam hold stays one), and
     * mail whose DMARC or spoof check failed is held as PHISH, which the helpdesk may not release, even when a
     * rule's SCL -1 or the allow list kept the filters from acting on it. {@code category} is the filters' own
     * category, before rules (not the {@link Pipeline.Classification}, which may also carry a rule's spam score).
     */
    private static Verdict ended(Facts.MailFlowRules.Ending ending, Verdict filtered, String category, List<String> headers) {
        boolean phish = category.equals("DMARC") || category.equals("SPOOF");
        String by = ending.by() + (category.equals("NONE") ? "" : ", category " + category);
        return switch (ending.kind()) {
            case REJECT -> new Verdict.Reject(ending.reply(), ending.by() + " rejected the message"
                    + (category.equals("NONE") ? "" : " (category " + category + ")"));
            case DELETE -> new Verdict.Drop("deleted by " + ending.by());
            case QUARANTINE -> switch (filtered) {
                case Verdict.Reject filters -> filters;
                case Verdict.Quarantine filters -> new Verdict.Quarantine(filters.reason(), filters.details()
                        + "; quarantined by " + ending.by() + " too", headers);
                default -> new Verdict.Quarantine(phish ? Verdict.QuarantineReason.PHISH : Verdict.QuarantineReason.POLICY,
                        "quarantined by " + by, headers);
            };
        };
    }

    /**
     * What matching mail flow rules add to a delivered or quarantined copy: their header fields, the
     * X-Sluice-Rules field naming them, and their subject prefix before the policy's.
     */
    private static Verdict withRules(Verdict v, Facts.MailFlowRules rules) {
        if (rules.hits().isEmpty()) return v;
        List<String> extra = new ArrayList<>(rules.headers());
        extra.add(rules.rulesHeader());
        return switch (v) {
            case Verdict.Deliver d -> {
                String prefix = rules.subjectPrefix() == null ? d.subjectPrefix()
                        : rules.subjectPrefix() + (d.subjectPrefix() == null ? "" : d.subjectPrefix());
                yield new Verdict.Deliver(d.junk(), concat(d.headers(), extra), prefix, d.reason());
            }
            case Verdict.Quarantine q -> new Verdict.Quarantine(q.reason(), q.details(), concat(q.headers(), extra));
            case Verdict.Reject r -> r;
            case Verdict.Defer d -> d;
            case Verdict.Drop d -> d;
        };
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
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
    private static String report(Inspection m, Findings f, int scl, String category, boolean allowListed, boolean ruleBypass) {
        // SKN as in EOP: marked not spam before spam filtering (allow list or a mail flow rule's SCL -1)
        String sfv = m.internal() ? "SKI" : allowListed || ruleBypass ? "SKN" : scl >= 5 ? "SPM" : "NSPM";
        String symbols = f.symbols().stream().map(s -> s.name()).distinct().collect(Collectors.joining(","));
        return "X-Sluice-Antispam-Report: CIP:" + m.originatingAddress().getHostAddress() + ";H:" + clean(m.heloName())
                + ";SCL:" + scl + ";SFV:" + sfv + ";CAT:" + category + ";IPV:" + (allowListed ? "CAL" : "NLI")
                + ";SYM:" + symbols;
    }

    private static String clean(String s) {
        return s == null ? "" : NOT_VISIBLE.matcher(s).replaceAll("_").replace(';', '_');
    }
}
