package sluice.core.filter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.policy.Policies;
import sluice.core.trace.Incident;

import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The protection pipeline in EOP's order: connection filtering, anti-malware, mail flow rules,
 * anti-spoofing and anti-spam, then the policy's action. Mail flow rules stand between
 * anti-malware and anti-spoofing, those that test the SCL after anti-spam
 * ({@code sluice.core.rule.TransportRuleStage}). A stage that throws is a defect, but it must not lose or
 * wrongly pass mail: it is logged and recorded as a symbol and the message goes on, unless the stage
 * is required (anti-malware: unscanned mail is never delivered; mail flow rules: no message skips an
 * organization's rules), in which case the message is deferred (451 4.7.0 with the stage's own text, the client
 * retries) with an {@link Incident} reference in the log, and counted ({@link #deferrals}). A stack overflow counts as a
 * throw: hostile input can drive a recursive parser or pattern that deep, and the thread is usable
 * again once it has unwound to here. Other errors (out of memory) are the JVM's and are not caught.
 */
public final class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    /**
     * What anti-spoofing and anti-spam made of a message from outside the organization: EOP's category
     * (DMARC, SPOOF, HSPM, SPM or NONE) before a rule's SCL -1, a rule's ending or the IP allow list changed the
     * message's way; when the filters found nothing, a rule's setScl 0..9 at or above the spam threshold makes it
     * SPM or HSPM. The decision records it for every message from outside it decides; receiving reads it to keep
     * spam from being sent on outside the organization, whatever the final action.
     */
    public record Classification(String category) implements Fact {
        public boolean spam() {
            return !category.equals("NONE");
        }
    }

    private final List<Stage> stages;
    /** Messages deferred because a required stage failed, by the stage's name (for the node's metrics). */
    private final java.util.Map<String, java.util.concurrent.atomic.LongAdder> deferrals = new java.util.LinkedHashMap<>();
    /** Turns what the stages found into the verdict of a message no stage ended early. */
    private final BiFunction<Inspection, Findings, Verdict> decision;

    public Pipeline(List<Stage> stages, Policies policies) {
        this(stages, new Decision(policies)::decide);
    }

    private Pipeline(List<Stage> stages, BiFunction<Inspection, Findings, Verdict> decision) {
        this.stages = List.copyOf(stages);
        this.decision = decision;
        for (Stage stage : this.stages) if (stage.required()) deferrals.put(stage.name(), new java.util.concurrent.atomic.LongAdder());
    }

    /** The names of the stages whose failure defers the message, in order. */
    public List<String> requiredStages() {
        return List.copyOf(deferrals.keySet());
    }

    /** How many messages were deferred because the required stage {@code name} failed; 0 for another name. */
    public long deferrals(String name) {
        var count = deferrals.get(name);
        return count == null ? 0 : count.sum();
    }

    /** No protection and no rules: every message is delivered as it came, with no verdict headers. */
    public static Pipeline off() {
        return new Pipeline(List.of(), (m, f) -> Decision.UNFILTERED);
    }

    /**
     * Protection off, mail flow rules on ({@code protection.enabled: false}): only {@code ruleStages}
     * run, and a message they let through is delivered with what they add (header fields, subject
     * prefix) and no verdict headers of the filters that did not run.
     */
    public static Pipeline rulesOnly(List<Stage> ruleStages) {
        return new Pipeline(ruleStages, (m, f) -> Decision.unfiltered(f));
    }

    /** Lets the stages start look-ups for a new connection; never fails the connection. */
    public void connected(java.net.InetAddress client) {
        for (Stage stage : stages) {
            try {
                stage.connected(client);
            } catch (RuntimeException | StackOverflowError e) {
                LOG.warn("filter stage {} failed at connect: {}", stage.name(), e.toString());
            }
        }
    }

    public Verdict inspect(Inspection message) {
        Findings findings = new Findings();
        return inspect(message, findings);
    }

    /** As {@link #inspect(Inspection)}, leaving what was found in {@code findings} (for the trace). */
    public Verdict inspect(Inspection message, Findings findings) {
        for (Stage stage : stages) {
            try {
                Optional<Verdict> early = stage.inspect(message, findings);
                if (early.isPresent()) return early.get();
            } catch (RuntimeException | StackOverflowError e) {
                if (stage.required()) {
                    Incident incident = Incident.logged(LOG, "filter stage " + stage.name() + " (the message is deferred)", e);
                    var count = deferrals.get(stage.name());
                    if (count != null) count.increment();
                    return new Verdict.Defer(stage.failedReply(), "stage " + stage.name() + " failed: " + incident.text());
                }
                LOG.error("filter stage {} failed; the message goes on without it", stage.name(), e);
                findings.add(new Symbol("STAGE_FAILED", 0, stage.name()));
            }
        }
        return decision.apply(message, findings);
    }
}
