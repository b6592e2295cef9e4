package sluice.core.queue;

import sluice.core.deliver.dsn.DsnBuilder;
import sluice.core.mail.Address;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.trace.TraceEvent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Notifications collected during one attempt, one report per kind (failure, delay, success), each to the
 * message's sender; written (and their DSN events added to the trace's) by {@link #generate}.
 */
final class Notices {

    private final DsnBuilder dsn;
    private final Duration maxLifetime;
    private final String hostname;
    /** Whose the reports are: the message's organization unless said otherwise. */
    private final String reportOrganizationId;
    final List<DsnBuilder.Entry> failed = new ArrayList<>();
    final List<DsnBuilder.Entry> delayed = new ArrayList<>();
    final List<DsnBuilder.Entry> success = new ArrayList<>();

    /** @param maxLifetime how long the message is tried (its reports say until when) */
    Notices(DsnBuilder dsn, Duration maxLifetime, String hostname, String reportOrganizationId) {
        this.dsn = dsn;
        this.maxLifetime = maxLifetime;
        this.hostname = hostname;
        this.reportOrganizationId = reportOrganizationId;
    }

    /** RFC 3461: no NOTIFY means failures (and, by our choice, delays) are reported; NEVER means nothing. */
    static boolean wants(QueuedRecipient r, String kind) {
        Set<String> n = r.notifyOn();
        return n.isEmpty() || n.contains(kind);
    }

    /** The recipient's line in a report: its last reply, which is what the sender is told the server said. */
    static DsnBuilder.Entry entry(QueuedRecipient r, DsnBuilder.Action action, String remoteMta, String why, Instant now) {
        return entry(r, action, remoteMta, why, now, null);
    }

    /** @param lastAttempt when the last attempt was, null if unknown; {@code status} null for the reply's */
    static DsnBuilder.Entry entry(QueuedRecipient r, DsnBuilder.Action action, String remoteMta, String why, Instant lastAttempt,
                                  String status) {
        return new DsnBuilder.Entry(r.address().toString(), r.orcpt(), action, lastReply(r), remoteMta, why, lastAttempt, status);
    }

    /**
     * Our own "too many deliveries/connections" (4.4.5) and "interrupted (shutting down)", which earlier versions kept
     * as a recipient's last reply.
     */
    private static final java.util.regex.Pattern OURS = java.util.regex.Pattern.compile(
            "^451 4\\.4\\.5 Too many (connections|deliveries) to |^451 4\\.3\\.0 Delivery interrupted \\(shutting down\\)$");

    /**
     * The reply of the recipient's last real attempt, or null. Older versions stored our own busy deferral's 4.4.5
     * (or interrupt's 4.3.0) as the last reply; it is no server's word, and no report quotes it as one.
     */
    static String lastReply(QueuedRecipient r) {
        String reply = r.lastReply();
        return reply != null && OURS.matcher(reply).find() ? null : reply;
    }

    /** {@code full} is called only when there is a report to write (it quotes the message). */
    List<Spool.Generated> generate(QueuedMessage m, Supplier<QueuedMessage> full, Instant now, List<TraceEvent> events,
                                   Facts facts) {
        List<Spool.Generated> out = new ArrayList<>();
        if (m.isBounce()) return out; // never a bounce for a bounce (RFC 5321 section 6.1)
        Instant until = m.receivedAt().plus(maxLifetime);
        add(out, m, full, failed, DsnBuilder.Action.FAILED, now, until, events, facts);
        add(out, m, full, delayed, DsnBuilder.Action.DELAYED, now, until, events, facts);
        boolean onlyRelayed = success.stream().allMatch(e -> e.action() == DsnBuilder.Action.RELAYED);
        add(out, m, full, success, onlyRelayed ? DsnBuilder.Action.RELAYED : DsnBuilder.Action.DELIVERED, now, until, events, facts);
        return out;
    }

    private void add(List<Spool.Generated> out, QueuedMessage m, Supplier<QueuedMessage> full, List<DsnBuilder.Entry> entries, DsnBuilder.Action kind,
                     Instant now, Instant until, List<TraceEvent> events, Facts facts) {
        if (entries.isEmpty()) return;
        Address to;
        try {
            to = Address.parse(m.sender());
        } catch (IllegalArgumentException e) {
            return; // an unparsable sender cannot be notified; the FAIL events already say what happened
        }
        byte[] content = dsn.build(full.get(), entries, kind, now, until);
        QueueId id = QueueId.next(now);
        // about a message whose client asked for SMTPUTF8 the report is SMTPUTF8 mail too, as Postfix's is (its
        // SMTPUTF8_README): asked of a next hop that offers it; one without takes it all the same unless the report's own
        // envelope or header section has UTF-8 in it (the message/global* parts of RFC 6533 travel as 8-bit MIME)
        QueuedMessage report = new QueuedMessage(id, NetworkMessageId.random(), now, "",
                reportOrganizationId != null ? reportOrganizationId : m.organizationId(),
                null, null, null, hostname, content, QueuedMessage.Origin.SYSTEM, true, null, m.smtpUtf8());
        out.add(new Spool.Generated(report, List.of(new QueuedRecipient(id, 0, to, Set.of(), null,
                QueuedRecipient.State.QUEUED, 0, now, null, false))));
        String what = switch (kind) {
            case FAILED -> "non-delivery report";
            case DELAYED -> "delay notice";
            case DELIVERED, RELAYED -> "delivery notice";
        };
        for (DsnBuilder.Entry e : entries) {
            events.add(facts.event(now, TraceEvent.Type.DSN, m.organizationId(), e.recipient(), null, null, null,
                    what + " sent to " + to + " as " + report.networkId()));
        }
    }
}
