package sluice.core.filter;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.policy.Policies;

import java.util.List;
import java.util.Optional;

/**
 * The protection pipeline in EOP's order: connection filtering, anti-malware, mail flow rules,
 * anti-spoofing and anti-spam, then the policy's action. Mail flow rules stand between
 * anti-malware and anti-spoofing, those that test the SCL after anti-spam
 * ({@code sluice.core.rule.TransportRuleStage}). A stage that throws is a defect, but it must not lose or
 * wrongly pass mail: it is logged and recorded as a symbol and the message goes on, unless the stage
 * is required (anti-malware), in which case the message is deferred.
 */
public final class Pipeline {

    private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

    private final List<Stage> stages;
    private final Decision decision;

    public Pipeline(List<Stage> stages, Policies policies) {
        this.stages = List.copyOf(stages);
        this.decision = new Decision(policies);
    }

    private Pipeline() {
        this.stages = List.of();
        this.decision = null;
    }

    private static final Verdict.Deliver UNFILTERED = new Verdict.Deliver(false, List.of(), null, "protection is off");

    /** No protection at all: every message is delivered as it came, with no verdict headers. */
    public static Pipeline off() {
        return new Pipeline();
    }

    /** Lets the stages start look-ups for a new connection; never fails the connection. */
    public void connected(java.net.InetAddress client) {
        for (Stage stage : stages) {
            try {
                stage.connected(client);
            } catch (RuntimeException e) {
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
        if (decision == null) return UNFILTERED;
        for (Stage stage : stages) {
            try {
                Optional<Verdict> early = stage.inspect(message, findings);
                if (early.isPresent()) return early.get();
            } catch (RuntimeException e) {
                if (stage.required()) {
                    LOG.error("filter stage {} failed; the message is deferred", stage.name(), e);
                    return new Verdict.Defer(Decision.SCAN_FAILED, "stage " + stage.name() + " failed: " + e);
                }
                LOG.error("filter stage {} failed; the message goes on without it", stage.name(), e);
                findings.add(new Symbol("STAGE_FAILED", 0, stage.name()));
            }
        }
        return decision.decide(message, findings);
    }
}
