package sluice.core.receive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.filter.Verdict;
import sluice.core.queue.QueueRunner;
import sluice.core.queue.Spool;
import sluice.smtp.Reply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The copies of one message, one per organization of its recipients (bifurcation: only an
 * authenticated sender's transaction has more than one). Every copy is decided first; then the
 * transaction's answer follows from all of them:
 *
 * <ul>
 *   <li>a copy deferred: the defer, and nothing is stored (the client retries the whole message);</li>
 *   <li>every copy rejected: the first one's reject, nothing stored;</li>
 *   <li>else 250: the deliverable copies and a non-delivery report to the sender for each rejected
 *       one are stored in one atomic spool step, quarantined copies are held, dropped ones traced.</li>
 * </ul>
 *
 * <p>The quarantine is a store of its own, so a copy held there cannot join the spool's step. When
 * storing fails before anything was stored, the client gets 451 and retries everything; after
 * something was stored, a 451 would make the client send the stored copies twice, so the copy that
 * failed is reported to the sender instead (a non-delivery report telling to send it again), and
 * logged: mail is never lost silently, nor accepted twice.
 */
final class Copies {

    private static final Logger LOG = LoggerFactory.getLogger(Copies.class);

    static final Reply NOT_STORED = Reply.of(554, "5.3.0", "The message could not be stored for these recipients");
    /** What a rejected copy's non-delivery report tells the sender; the recipients' organization's reasons stay in its trace. */
    static final String REJECTED_WHY = "The recipient's organization does not accept this message.";
    static final String NOT_STORED_WHY = "The message could not be stored for this recipient; please send it again.";

    private final Receiver r;
    private final String sessionId;
    private final List<Copy> copies;

    Copies(Receiver r, String sessionId, List<Copy> copies) {
        this.r = r;
        this.sessionId = sessionId;
        this.copies = copies;
    }

    /**
     * The recipients grouped by organization in the order received, the sender's own organization
     * first (a postmaster stand-in is nobody's: a group of its own).
     */
    static List<List<InboundSession.Accepted>> byOrganization(List<InboundSession.Accepted> accepted, String senderOrganization) {
        Map<String, List<InboundSession.Accepted>> groups = new LinkedHashMap<>();
        for (boolean own : new boolean[] {true, false}) {
            for (InboundSession.Accepted a : accepted) {
                if (own == Objects.equals(a.organizationId(), senderOrganization)) {
                    groups.computeIfAbsent(a.organizationId(), k -> new ArrayList<>()).add(a);
                }
            }
        }
        return List.copyOf(groups.values());
    }

    Reply commit() {
        for (Copy c : copies) {
            if (c.verdict() instanceof Verdict.Defer defer) {
                LOG.warn("session {}: message deferred by protection: {}", sessionId, defer.reason());
                return defer.reply();
            }
        }
        if (copies.stream().allMatch(c -> c.verdict() instanceof Verdict.Reject)) {
            copies.forEach(Copy::refused);
            return ((Verdict.Reject) copies.getFirst().verdict()).reply();
        }
        Map<Copy, Spool.Generated> queued = new LinkedHashMap<>();
        Map<Copy, QueueRunner.Reports> reports = new LinkedHashMap<>();
        for (Copy c : copies) {
            if (c.verdict() instanceof Verdict.Deliver) queued.put(c, c.queued());
            if (c.verdict() instanceof Verdict.Reject reject) reports.put(c, c.nonDelivery(reject.reply(), REJECTED_WHY));
        }
        List<Spool.Generated> batch = new ArrayList<>(queued.values());
        reports.values().forEach(report -> batch.addAll(report.messages()));
        boolean stored = false;
        if (!batch.isEmpty()) {
            try {
                r.spool.enqueue(batch);
                stored = true;
            } catch (RuntimeException e) {
                LOG.error("session {}: could not queue message: {}", sessionId, e.toString());
                return InboundSession.QUEUE_FAILED;
            }
        }
        List<Copy> lost = new ArrayList<>();
        for (Copy c : copies) {
            if (!(c.verdict() instanceof Verdict.Quarantine)) continue;
            try {
                c.quarantine();
                stored = true;
            } catch (RuntimeException e) {
                LOG.error("session {}: could not quarantine message {}: {}", sessionId, c.id(), e.toString());
                if (!stored) return InboundSession.QUEUE_FAILED;
                lost.add(c);
            }
        }
        return announce(queued, reports, lost);
    }

    /** Everything is stored that could be: each copy traces what became of it; 250 names the stored copies. */
    private Reply announce(Map<Copy, Spool.Generated> queued, Map<Copy, QueueRunner.Reports> reports, List<Copy> lost) {
        List<String> ids = new ArrayList<>();
        for (Copy c : copies) {
            switch (c.verdict()) {
                case Verdict.Deliver ignored -> c.submitted(queued.get(c));
                case Verdict.Reject ignored -> {
                    c.refused();
                    r.queue.announce(reports.get(c));
                    continue;
                }
                case Verdict.Quarantine ignored -> {
                    if (lost.contains(c)) {
                        reportLost(c);
                        continue;
                    }
                }
                case Verdict.Drop ignored -> c.dropped();
                case Verdict.Defer ignored -> throw new IllegalStateException("deferred copies are answered above");
            }
            ids.add(c.id().value());
        }
        return Reply.of(250, "2.0.0", "Ok: queued as " + String.join(" ", ids));
    }

    /** A copy that could not be stored after others were: the sender hears of it, the log and the trace say why. */
    private void reportLost(Copy c) {
        c.lost(NOT_STORED, "could not be stored after the message's other copies were; the sender gets a non-delivery report");
        QueueRunner.Reports report = c.nonDelivery(NOT_STORED, NOT_STORED_WHY);
        try {
            r.spool.enqueue(report.messages());
            r.queue.announce(report);
        } catch (RuntimeException e) {
            LOG.error("session {}: message {} was accepted but neither quarantined nor reported to its sender: {}",
                    sessionId, c.id(), e.toString());
        }
    }
}
