package sluice.core.quarantine;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.mail.Address;
import sluice.core.mail.Headers;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.Spool;
import sluice.core.trace.MessageFacts;
import sluice.core.trace.Trace;
import sluice.core.trace.TraceEvent;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The quarantine's decisions over a {@link QuarantineStore}: retention on hold, re-queuing on
 * release (through the {@link Spool}, then handed to {@code submit} so delivery starts at once),
 * trace events, purge. Thread-safe as its ports are.
 */
public final class QuarantineService implements Quarantine {

    private static final Logger LOG = LoggerFactory.getLogger(QuarantineService.class);
    public static final String RELEASED_HEADER = "X-Sluice-Quarantine-Released";

    private final QuarantineStore store;
    private final Spool spool;
    private final Trace trace;
    private final InstantSource clock;
    private final QuarantinePolicy policy;
    private final BiConsumer<QueuedMessage, List<QueuedRecipient>> submit;
    private final ReleaseSigning signing;

    /** Without DKIM keys: a released copy of the organization's own mail goes with the signature it was held with. */
    public QuarantineService(QuarantineStore store, Spool spool, Trace trace, InstantSource clock,
                             QuarantinePolicy policy, BiConsumer<QueuedMessage, List<QueuedRecipient>> submit) {
        this(store, spool, trace, clock, policy, submit, ReleaseSigning.NONE);
    }

    /**
     * @param submit  called with each released copy after it is durable in the spool (the queue
     *                runner's {@code submit}); the spool alone would deliver it only after a restart
     * @param dkimKeys the organizations' signing keys: a released copy of an organization's own mail is signed
     *                again when the key it was held with is no longer the active one ({@link ReleaseSigning})
     */
    public QuarantineService(QuarantineStore store, Spool spool, Trace trace, InstantSource clock,
                             QuarantinePolicy policy, BiConsumer<QueuedMessage, List<QueuedRecipient>> submit,
                             sluice.core.org.DkimSigningKeys dkimKeys) {
        this(store, spool, trace, clock, policy, submit, new ReleaseSigning(Objects.requireNonNull(dkimKeys), clock));
    }

    private QuarantineService(QuarantineStore store, Spool spool, Trace trace, InstantSource clock,
                              QuarantinePolicy policy, BiConsumer<QueuedMessage, List<QueuedRecipient>> submit,
                              ReleaseSigning signing) {
        this.signing = signing;
        this.store = Objects.requireNonNull(store);
        this.spool = Objects.requireNonNull(spool);
        this.trace = Objects.requireNonNull(trace);
        this.clock = Objects.requireNonNull(clock);
        this.policy = Objects.requireNonNull(policy);
        this.submit = Objects.requireNonNull(submit);
    }

    @Override
    public QuarantineEntry quarantine(QueuedMessage m, List<QueuedRecipient> recipients, QuarantineReason reason, String details) {
        Instant now = clock.instant();
        byte[] content = m.content();
        var entry = new QuarantineEntry(QueueId.next(now).value(), m.organizationId(), m.networkId(), m.receivedAt(),
                now.plus(policy.retention(reason)), m.sender(), recipients.stream().map(QueuedRecipient::address).toList(),
                reason, details, clip(Headers.first(content, "Subject")), clip(Headers.first(content, "Message-ID")),
                content.length, m.origin(), m.internal(), m.clientAddress(), m.heloName(), m.transportRuleConnector(),
                DsnRequest.of(m, recipients), List.of(), null, null, m.smtpUtf8());
        return hold(new QuarantinedMessage(entry, content));
    }

    @Override
    public QuarantineEntry hold(QuarantinedMessage message) {
        store.save(message);
        QuarantineEntry e = message.entry();
        MessageFacts facts = new MessageFacts(e.networkId(), null, e.messageId(), e.sender(), e.subject(), e.size());
        String detail = "quarantined (" + e.reason() + ") as " + e.id() + " until " + e.expiresAt()
                + (e.details().isEmpty() ? "" : ": " + e.details());
        for (Address r : e.recipients())
            trace.record(facts.event(clock.instant(), TraceEvent.Type.QUARANTINE, e.organizationId(), r.toString(),
                    e.clientAddress(), null, null, detail));
        return e;
    }

    @Override
    public Page page(Query query) {
        return store.page(query);
    }

    @Override
    public Optional<QuarantineEntry> get(String id) {
        return store.entry(id);
    }

    @Override
    public Optional<byte[]> content(String id) {
        return store.content(id);
    }

    /**
     * No lock: the copy is made durable first, its recipients suspended (no runner, on this node or another
     * sharing the store, and no "retry now" may deliver them yet); then the store marks them released with a
     * conditional update, and one spool update queues those this release marked and withdraws the others
     * (another release got them first, or the release could not be recorded). Should the store fail in between,
     * the copy stays suspended, listed in the queue for an administrator to resume or remove: never delivered
     * twice unseen, and the release is never lost.
     */
    @Override
    public Optional<Released> release(String id, List<Address> recipients, String releasedBy, String shownAs, boolean again) {
        Optional<QuarantineEntry> found = store.entry(id);
        if (found.isEmpty()) return Optional.empty();
        QuarantineEntry e = found.get();
        Instant now = clock.instant();
        String who = printable(releasedBy);
        String shown = printable(shownAs);
        // until the hourly purge an expired entry is still stored; its retention is what the admin was promised
        if (e.isExpired(now)) throw new Expired(e.id(), e.expiresAt());
        List<Address> to = new ArrayList<>();
        List<Address> skipped = new ArrayList<>();
        for (Address a : chosen(e, recipients)) (!again && releasedBefore(e, a) ? skipped : to).add(a);
        if (to.isEmpty()) return Optional.of(alreadyReleased(e, skipped));
        Optional<byte[]> content = store.content(id);
        if (content.isEmpty()) return Optional.empty();
        QueuedMessage message = copy(e, signing.renewed(e, content.get()), shown, now);
        List<QueuedRecipient> queued = recipients(e, message.id(), to, now);
        spool.enqueue(message, queued);
        Optional<List<QueuedRecipient>> marked = mark(e, queued, again, who, now);
        if (marked.isEmpty()) return Optional.empty();
        List<QueuedRecipient> released = marked.get();
        List<Address> releasedTo = released.stream().map(QueuedRecipient::address).toList();
        queued.stream().map(QueuedRecipient::address).filter(a -> !releasedTo.contains(a)).forEach(skipped::add);
        if (released.isEmpty()) return Optional.of(alreadyReleased(e, skipped));
        traceRelease(e, message, released.stream().map(QueuedRecipient::address).toList(), shown, who);
        submit.accept(message, released);
        return Optional.of(new Released(message.id(), released.stream().map(QueuedRecipient::address).toList(), skipped));
    }

    private static Released alreadyReleased(QuarantineEntry e, List<Address> skipped) {
        LOG.info("quarantine {}: already released to {}, not released again", e.id(), skipped);
        return new Released(null, List.of(), skipped);
    }

    /**
     * Records the release of the queued copy's recipients and returns those this release marked; the
     * others (released meanwhile by someone else, or all when the entry went) are withdrawn from the
     * copy so that nobody gets two. Empty when the entry is gone.
     */
    private Optional<List<QueuedRecipient>> mark(QuarantineEntry e, List<QueuedRecipient> held, boolean again,
                                                 String who, Instant now) {
        Optional<List<Address>> marked;
        try {
            marked = store.recordRelease(e.id(), held.stream().map(QueuedRecipient::address).toList(), again, who, now);
        } catch (RuntimeException x) {
            try {
                settle(e, List.of(), held, "its release could not be recorded", now);
            } catch (RuntimeException y) {
                x.addSuppressed(y);
            }
            throw x;
        }
        List<Address> ours = marked.orElse(List.of());
        List<QueuedRecipient> kept = held.stream().filter(r -> ours.contains(r.address())).toList();
        List<QueuedRecipient> others = held.stream().filter(r -> !kept.contains(r)).toList();
        if (!others.isEmpty())
            LOG.info("quarantine {}: {} released meanwhile by another release; not queued twice", e.id(),
                    others.stream().map(QueuedRecipient::address).toList());
        List<QueuedRecipient> queued = settle(e, kept, others,
                marked.isEmpty() ? "the quarantined message was deleted" : "released meanwhile by another release", now);
        return marked.map(m -> queued);
    }

    /**
     * In one spool update: the copy's {@code release}d recipients are queued, and the {@code withdrawn} end before any
     * attempt (the spool removes a copy left with none to deliver). Returns the queued ones. When the store refuses,
     * the copy stays suspended, for an administrator to see.
     */
    private List<QueuedRecipient> settle(QuarantineEntry e, List<QueuedRecipient> release, List<QueuedRecipient> withdrawn,
                                         String why, Instant now) {
        List<QueuedRecipient> queued = release.stream().map(r -> new QueuedRecipient(r.messageId(), r.index(), r.address(),
                r.notifyOn(), r.orcpt(), QueuedRecipient.State.QUEUED, 0, now, null, false)).toList();
        List<QueuedRecipient> updates = new ArrayList<>(queued);
        withdrawn.forEach(r -> updates.add(new QueuedRecipient(r.messageId(), r.index(), r.address(), r.notifyOn(),
                r.orcpt(), QueuedRecipient.State.FAILED, 0, now, "not delivered: " + why, false)));
        try {
            spool.update(updates, List.of());
        } catch (RuntimeException x) {
            QueueId copy = (release.isEmpty() ? withdrawn : release).getFirst().messageId();
            LOG.error("quarantine {}: the released copy {} stays suspended ({}): the store refused to {}; see it with "
                    + "'sluice queue list', then 'sluice queue resume {}' or 'sluice queue remove {} --no-ndr'", e.id(), copy,
                    x.toString(), release.isEmpty() ? "withdraw it" : "queue it", copy, copy);
            throw x;
        }
        return queued;
    }

    /**
     * The released copy: a fresh queue id, the original's network message id and envelope (DSN request,
     * origin, the rule's connector, the SMTPUTF8 request), the release header. It is received now: the queue's lifetime and
     * delay notices count from the release, not from the days it was held.
     */
    private static QueuedMessage copy(QuarantineEntry e, byte[] content, String who, Instant now) {
        byte[] copy = withHeader(content, RELEASED_HEADER + ": by " + who + " at "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atOffset(ZoneOffset.UTC)));
        return new QueuedMessage(QueueId.next(now), e.networkId(), now, e.sender(), e.organizationId(), e.dsn().ret(),
                e.dsn().envId(), e.clientAddress(), e.heloName(), copy, e.origin(), e.internal(), e.transportRuleConnector(),
                e.smtpUtf8());
    }

    /** The copy's recipients, each with the NOTIFY and ORCPT it was received with; suspended until the release is recorded. */
    private static List<QueuedRecipient> recipients(QuarantineEntry e, QueueId copy, List<Address> to, Instant now) {
        List<QueuedRecipient> out = new ArrayList<>(to.size());
        for (Address a : to) {
            DsnRequest.Recipient asked = e.dsn().recipients().get(e.recipients().indexOf(a));
            out.add(new QueuedRecipient(copy, out.size(), a, asked.notifyOn(), asked.orcpt(), QueuedRecipient.State.SUSPENDED,
                    0, now, "held until its release is recorded", false));
        }
        return out;
    }

    private void traceRelease(QuarantineEntry e, QueuedMessage copy, List<Address> to, String shown, String who) {
        MessageFacts facts = MessageFacts.of(e.networkId(), copy.id(), e.sender(), copy.content());
        for (Address a : to)
            trace.record(facts.event(copy.receivedAt(), TraceEvent.Type.RELEASE, e.organizationId(), a.toString(), null, null, null,
                    (releasedBefore(e, a) ? "released again" : "released") + " from quarantine " + e.id() + " (" + e.reason() + ") by " + shown));
        LOG.info("quarantine {}: released to {} by {} as {}", e.id(), to, who, copy.id());
    }

    private static boolean releasedBefore(QuarantineEntry e, Address a) {
        return e.releasedTo().stream().anyMatch(r -> r.key().equals(a.key()));
    }

    /** The held message's own addresses for those asked (all when none), refusing strangers. */
    private static List<Address> chosen(QuarantineEntry e, List<Address> asked) {
        if (asked.isEmpty()) return e.recipients();
        List<Address> out = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Address a : asked) {
            Optional<Address> match = e.recipients().stream().filter(r -> r.key().equals(a.key())).findFirst();
            if (match.isEmpty()) unknown.add(a.toString());
            else if (!out.contains(match.get())) out.add(match.get());
        }
        if (!unknown.isEmpty()) throw new UnknownRecipients(unknown);
        return out;
    }

    @Override
    public boolean delete(String id) {
        return store.delete(id);
    }

    @Override
    public int purgeExpired(Instant now) {
        int n = store.deleteExpired(now);
        if (n > 0) LOG.info("quarantine: purged {} expired message(s)", n);
        return n;
    }

    private static byte[] withHeader(byte[] content, String field) {
        byte[] header = (field + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[header.length + content.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(content, 0, out, header.length, content.length);
        return out;
    }

    /** An administrator's name as it may appear in a header field: printable ASCII on one line (no header injection). */
    static String printable(String s) {
        String p = s == null ? "" : s.replaceAll("[\\r\\n\\t]", " ").replaceAll("[^\\x20-\\x7E]", "?").strip();
        p = p.length() > 200 ? p.substring(0, 200) : p;
        return p.isEmpty() ? "unknown" : p;
    }

    private static String clip(String s) {
        return s == null || s.length() <= 500 ? s : s.substring(0, 500);
    }
}
