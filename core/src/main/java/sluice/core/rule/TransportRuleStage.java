package sluice.core.rule;

import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.Stage;
import sluice.core.filter.Symbol;
import sluice.core.filter.Verdict;
import sluice.core.org.Directory;
import sluice.smtp.Reply;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Runs the organization's enabled mail flow rules in priority order. Two instances stand in the
 * pipeline: {@link Phase#BEFORE_ANTI_SPAM} (after anti-malware, EOP's place) runs the rules that do
 * not test the SCL, {@link Phase#AFTER_ANTI_SPAM} those that do (sclOver), since the SCL is known only
 * then. A stopProcessingRules in the first phase stops the second too. A rejecting, deleting or
 * quarantining rule ends the rules (no later rule runs) but not the pipeline: it is recorded as the
 * fact's {@link Facts.MailFlowRules.Ending}, which the decision applies after what outranks a rule, as
 * in EOP, where malware is dealt with before transport rules run: a rule's quarantine must not hold
 * malware as a releasable policy hit, nor a rule's verdict skip the failed scan's deferral, the
 * connection block list or DMARC. A deleting or rejecting rule that applied although a header pattern could not be
 * evaluated in time holds the message in quarantine instead ({@link #HELD_NOT_DELETED}). Every action is gathered into the {@link Facts.MailFlowRules} fact
 * that the decision and the receiving side apply. The receiving side
 * gives each transaction one organization (the recipients'); a message of none (the postmaster
 * stand-in) runs no rules.
 */
public final class TransportRuleStage implements Stage {

    public enum Phase { BEFORE_ANTI_SPAM, AFTER_ANTI_SPAM }

    /** The symbol of a message to which rules would add more than {@link #MAX_ADDED_RECIPIENTS} recipients. */
    public static final String RECIPIENTS_CAPPED = "TRANSPORT_RULE_RECIPIENTS_CAPPED";
    /**
     * Recipients all rules together may add to one message (redirectTo, then addBcc in rule order): each
     * rule's lists are capped, but a hundred rules could still fan one message out ten thousand times.
     */
    static final int MAX_ADDED_RECIPIENTS = RuleActions.MAX_RECIPIENTS;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TransportRuleStage.class);

    /** The symbol of a message whose header patterns spent their {@link PatternBudget}. */
    public static final String PATTERN_BUDGET_SPENT = "TRANSPORT_RULE_PATTERN_BUDGET";
    /**
     * What the trace says of a rule that applied although a header pattern could not be evaluated: a condition of a
     * rule that only holds or refuses, or an exception of one that does not lower the guard ({@link Candidate#matches}).
     */
    static final String PATTERN_UNKNOWN = "applied because a header pattern could not be evaluated in time";
    /**
     * What the trace says of a deleting or rejecting rule that applied so: it holds the message in quarantine instead
     * (releasable), since the budget also runs out on benign mail (a pause, a busy node, long headers), and a delete
     * would lose it without a word to anyone.
     */
    static final String HELD_NOT_DELETED = "held instead of deleted: a header pattern could not be evaluated in time";
    static final String HELD_NOT_REJECTED = "held instead of rejected: a header pattern could not be evaluated in time";

    private final TransportRules rules;
    private final Directory directory;
    private final Phase phase;
    private final LongSupplier ticker;

    public TransportRuleStage(TransportRules rules, Directory directory, Phase phase) {
        this(rules, directory, phase, System::nanoTime);
    }

    /** {@code ticker}: nanoseconds, for the header patterns' {@link PatternBudget}. */
    TransportRuleStage(TransportRules rules, Directory directory, Phase phase, LongSupplier ticker) {
        this.rules = rules;
        this.directory = directory;
        this.phase = phase;
        this.ticker = ticker;
    }

    @Override
    public String name() {
        return phase == Phase.BEFORE_ANTI_SPAM ? "transport-rules" : "transport-rules-scl";
    }

    /**
     * Rules that failed to run must not let the message go on without them (a rule may block, quarantine or
     * redirect it): the pipeline defers it, and the client retries.
     */
    @Override
    public boolean required() {
        return true;
    }

    /** Not the scan's reply: the admin (and the sender's postmaster) can tell the rules from the filters. */
    static final Reply RULES_FAILED = Reply.of(451, "4.7.0", "Temporary failure applying mail flow rules, try again later");

    @Override
    public Reply failedReply() {
        return RULES_FAILED;
    }

    @Override
    public Optional<Verdict> inspect(Inspection message, Findings findings) {
        if (message.organizationId() == null) return Optional.empty();
        Facts.MailFlowRules before = findings.fact(Facts.MailFlowRules.class).orElse(Facts.MailFlowRules.NONE);
        if (before.stopped() || before.ending() != null) return Optional.empty();
        List<TransportRule> due = rules.rules(message.organizationId()).stream()
                .filter(r -> r.enabled() && r.readsScl() == (phase == Phase.AFTER_ANTI_SPAM)).toList();
        if (due.isEmpty()) return Optional.empty();
        PatternBudget budget = findings.fact(PatternBudget.class).orElseGet(() -> {
            PatternBudget b = new PatternBudget(ticker);
            findings.add(b);
            return b;
        });
        Candidate candidate = new Candidate(message, findings, directory, budget, RuleMessage.of(message, findings));
        Gathered g = new Gathered(before);
        for (TransportRule rule : due) {
            Candidate.Applies applies = candidate.matches(rule);
            if (budget.spent() && !findings.has(PATTERN_BUDGET_SPENT)) {
                findings.add(new Symbol(PATTERN_BUDGET_SPENT, 0, "header patterns took their time; the rest are not evaluated: such a condition"
                        + " applies only rules that hold or refuse, such an exception exempts only from rules that may lower the guard"));
            }
            if (applies == Candidate.Applies.NO) continue;
            String why = null;
            boolean unknown = applies == Candidate.Applies.PATTERN_UNKNOWN;
            if (unknown) {
                RuleActions a = rule.actions();
                why = a.deleteMessage() ? HELD_NOT_DELETED : a.rejectMessage() != null ? HELD_NOT_REJECTED : PATTERN_UNKNOWN;
                if (budget.firstFailedClosed())
                    LOG.warn("organization {}: mail flow rule '{}' ({}) applied because a header pattern could not be evaluated "
                            + "within the message's time budget", message.organizationId(),
                            loggable(rule.name()), rule.id());
            }
            findings.add(new Symbol("TRANSPORT_RULE", 0, why == null ? rule.name() : rule.name() + " (" + why + ")"));
            g.apply(rule, why, unknown);
            findings.add(g.fact());
            if (g.ending != null || g.stopped) break;
        }
        if (g.capped && !findings.has(RECIPIENTS_CAPPED)) {
            LOG.warn("organization {}: mail flow rules add more than {} recipients to a message; the rest are ignored",
                    message.organizationId(), MAX_ADDED_RECIPIENTS);
            findings.add(new Symbol(RECIPIENTS_CAPPED, 0, "rules added more than " + MAX_ADDED_RECIPIENTS + " recipients; the rest are ignored"));
        }
        return Optional.empty();
    }

    /**
     * A rule's name as the log may show it: an administrator names rules, and a name may hold CR, LF or other
     * controls that would forge log lines or drive a terminal; each is written as a backslash, u and four hex digits
     * (Java's escape), as is a backslash, so an escape in the name itself reads as one.
     */
    static String loggable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (Character.isISOControl(c) || c == '\\' || c == '\u2028' || c == '\u2029') out.append(String.format("\\u%04x", (int) c));
            else out.append(c);
        }
        return out.toString();
    }

    /** The actions of the rules that matched so far, folded in priority order. */
    private static final class Gathered {
        final List<Facts.MailFlowRules.Hit> hits;
        Integer scl;
        final List<String> headers;
        String prefix;
        List<String> redirectTo;
        final LinkedHashSet<String> bcc;
        String connector;
        boolean stopped;
        boolean capped;
        Facts.MailFlowRules.Ending ending;

        Gathered(Facts.MailFlowRules f) {
            hits = new ArrayList<>(f.hits());
            scl = f.scl();
            headers = new ArrayList<>(f.headers());
            prefix = f.subjectPrefix();
            redirectTo = f.redirectTo();
            bcc = new LinkedHashSet<>(f.addBcc());
            connector = f.routeUsingConnector();
        }

        /**
         * @param why  why it applied without all its predicates evaluated, or null
         * @param hold whether a delete or reject holds the message in quarantine instead ({@link #HELD_NOT_DELETED})
         */
        void apply(TransportRule rule, String why, boolean hold) {
            RuleActions a = rule.actions();
            hits.add(new Facts.MailFlowRules.Hit(rule.id(), rule.name(), a.names(), why));
            if (a.setScl() != null) scl = a.setScl();
            if (a.setHeader() != null) {
                // a field set again replaces the earlier rule's: the message ends with one, the last rule's (as in EOP)
                String name = RuleActions.SetHeader.nameOf(a.setHeader().name());
                headers.removeIf(h -> RuleActions.SetHeader.nameOf(h).equals(name));
                headers.add(a.setHeader().field());
            }
            // each rule prepends to the subject as it stands, so the last rule's text comes first
            if (a.prependSubject() != null) prefix = a.prependSubject() + (prefix == null ? "" : prefix);
            if (!a.redirectTo().isEmpty()) redirectTo = a.redirectTo();
            for (String b : a.addBcc()) {
                if (bcc.size() < MAX_ADDED_RECIPIENTS) bcc.add(b);
                else capped |= !bcc.contains(b);
            }
            if (a.routeUsingConnector() != null) connector = a.routeUsingConnector();
            stopped = a.stopProcessingRules();
            String who = "mail flow rule '" + rule.name() + "' (" + rule.id() + ")";
            if (a.quarantine() || hold && Candidate.ends(a))
                ending = new Facts.MailFlowRules.Ending(Facts.MailFlowRules.Ending.Kind.QUARANTINE, null, who);
            else if (a.rejectMessage() != null) ending = new Facts.MailFlowRules.Ending(Facts.MailFlowRules.Ending.Kind.REJECT,
                    Reply.of(550, a.rejectMessage().enhancedStatusCode(), a.rejectMessage().reasonText()), who);
            else if (a.deleteMessage()) ending = new Facts.MailFlowRules.Ending(Facts.MailFlowRules.Ending.Kind.DELETE, null, who);
        }

        Facts.MailFlowRules fact() {
            // a Bcc that is also a redirect recipient is one recipient (RuleRecipients adds it once)
            List<String> extra = bcc.stream().filter(b -> !redirectTo.contains(b)).toList();
            int room = Math.max(0, MAX_ADDED_RECIPIENTS - redirectTo.size());
            if (extra.size() > room) capped = true;
            return new Facts.MailFlowRules(hits, scl, headers, prefix, redirectTo, extra.size() > room ? extra.subList(0, room) : List.copyOf(bcc),
                    connector, stopped, ending);
        }
    }
}
