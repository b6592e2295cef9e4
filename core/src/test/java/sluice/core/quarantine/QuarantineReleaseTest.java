package sluice.core.quarantine;

import org.junit.jupiter.api.Test;
import sluice.core.mail.Address;
import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.testing.MemoryQuarantineStore;
import sluice.core.testing.MemorySpool;
import sluice.core.testing.MemoryTrace;
import sluice.core.testing.MutableClock;
import sluice.core.trace.TraceEvent;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A message held for malware is found, released to one of its two recipients (a new queued copy with
 * the same network message id and the release header, RELEASE in the trace, delivery started), then
 * to the other, and finally deleted; spam and malware expire after their retention periods.
 */
class QuarantineReleaseTest {

    static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");
    static final Address ANN = Address.parse("ann@contoso.example");
    static final Address BOB = Address.parse("Bob@contoso.example");

    private final MutableClock clock = new MutableClock(T0);
    private final MemoryQuarantineStore store = new MemoryQuarantineStore();
    private final MemorySpool spool = new MemorySpool();
    private final MemoryTrace trace = new MemoryTrace();
    private final List<QueuedMessage> submitted = new ArrayList<>();
    private final Quarantine quarantine = new QuarantineService(store, spool, trace, clock, QuarantinePolicy.DEFAULT,
            (m, r) -> submitted.add(m));

    static QueuedMessage received(String subject) {
        byte[] content = ("Received: from mx.partner.example\r\nFrom: x@partner.example\r\nSubject: " + subject
                + "\r\nMessage-ID: <1@partner.example>\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        return new QueuedMessage(QueueId.next(T0), NetworkMessageId.random(), T0.minusSeconds(5), "x@partner.example", "org-a",
                null, null, "192.0.2.7", "mx.partner.example", content, QueuedMessage.Origin.PARTNER, false, null, false);
    }

    /** Recipients as the receiver queues them: no DSN parameters. */
    static List<QueuedRecipient> to(Address... addresses) {
        List<QueuedRecipient> out = new ArrayList<>();
        for (Address a : addresses)
            out.add(new QueuedRecipient(QueueId.next(T0), out.size(), a, java.util.Set.of(), null, QueuedRecipient.State.QUEUED, 0, T0, null, false));
        return out;
    }

    @Test
    void holdingRecordsTheEntryWithItsRetentionAndTracesIt() {
        QueuedMessage m = received("invoice");

        QuarantineEntry e = quarantine.quarantine(m, to(ANN, BOB), QuarantineReason.MALWARE, "BlockedFileType in invoice.pdf");

        assertThat(e.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        assertThat(e.subject()).isEqualTo("invoice");
        assertThat(e.messageId()).isEqualTo("<1@partner.example>");
        assertThat(e.size()).isEqualTo(m.content().length);
        assertThat(e.origin()).isEqualTo(QueuedMessage.Origin.PARTNER);
        assertThat(quarantine.get(e.id())).contains(e);
        assertThat(quarantine.content(e.id())).hasValue(m.content());
        assertThat(trace.typesFor("ann@contoso.example")).containsExactly(TraceEvent.Type.QUARANTINE);
        assertThat(trace.all().getFirst().detail()).isEqualTo("quarantined (MALWARE) as " + e.id() + " until "
                + T0.plus(Duration.ofDays(30)) + ": BlockedFileType in invoice.pdf");
        assertThat(spool.history()).isEmpty();
        assertThat(quarantine.quarantine(m, to(ANN), QuarantineReason.SPAM, "").expiresAt()).isEqualTo(T0.plus(Duration.ofDays(15)));
    }

    @Test
    void releasingToOneRecipientQueuesACopyForThatRecipientOnly() {
        QueuedMessage m = received("invoice");
        QuarantineEntry e = quarantine.quarantine(m, to(ANN, BOB), QuarantineReason.MALWARE, "x");
        clock.advance(Duration.ofHours(2));

        var released = quarantine.release(e.id(), List.of(Address.parse("BOB@contoso.example")), "admin@contoso.example", false).orElseThrow();

        assertThat(released.recipients()).containsExactly(BOB);
        assertThat(released.alreadyReleased()).isEmpty();
        QueuedMessage copy = spool.message(released.queueId()).orElseThrow();
        assertThat(copy.networkId()).isEqualTo(m.networkId());
        assertThat(copy.id()).isNotEqualTo(m.id());
        assertThat(copy.sender()).isEqualTo("x@partner.example");
        assertThat(copy.organizationId()).isEqualTo("org-a");
        assertThat(copy.origin()).isEqualTo(QueuedMessage.Origin.PARTNER);
        assertThat(Headers.first(copy.content(), "X-Sluice-Quarantine-Released"))
                .isEqualTo("by admin@contoso.example at Sun, 1 Jun 2025 14:00:00 GMT");
        assertThat(new String(copy.content(), StandardCharsets.US_ASCII)).endsWith(new String(m.content(), StandardCharsets.US_ASCII));
        assertThat(spool.recipients(released.queueId())).extracting(QueuedRecipient::address, QueuedRecipient::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BOB, QueuedRecipient.State.QUEUED));
        assertThat(submitted).containsExactly(copy);
        assertThat(trace.typesFor("Bob@contoso.example")).containsExactly(TraceEvent.Type.QUARANTINE, TraceEvent.Type.RELEASE);
        assertThat(trace.typesFor("ann@contoso.example")).containsExactly(TraceEvent.Type.QUARANTINE);
        TraceEvent release = trace.all().getLast();
        assertThat(release.queueId()).isEqualTo(released.queueId());
        assertThat(release.detail()).isEqualTo("released from quarantine " + e.id() + " (MALWARE) by admin@contoso.example");
        QuarantineEntry after = quarantine.get(e.id()).orElseThrow();
        assertThat(after.releasedTo()).containsExactly(BOB);
        assertThat(after.releasedBy()).isEqualTo("admin@contoso.example");
        assertThat(after.releasedAt()).isEqualTo(T0.plus(Duration.ofHours(2)));
    }

    @Test
    void releasingWithoutRecipientsReleasesToAll() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN, BOB), QuarantineReason.SPAM, "x");

        var released = quarantine.release(e.id(), List.of(), "helpdesk", false).orElseThrow();

        assertThat(spool.recipients(released.queueId())).extracting(QueuedRecipient::address).containsExactly(ANN, BOB);
        assertThat(quarantine.get(e.id()).orElseThrow().releasedTo()).containsExactly(ANN, BOB);
    }

    @Test
    void aSecondReleaseToAllSkipsThoseAlreadyReleased() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN, BOB), QuarantineReason.SPAM, "x");
        var first = quarantine.release(e.id(), List.of(BOB), "helpdesk1", false).orElseThrow();

        var second = quarantine.release(e.id(), List.of(), "helpdesk2", false).orElseThrow();
        var third = quarantine.release(e.id(), List.of(), "helpdesk1", false).orElseThrow();
        var named = quarantine.release(e.id(), List.of(Address.parse("BOB@contoso.example")), "helpdesk2", false).orElseThrow();

        assertThat(second.recipients()).containsExactly(ANN);
        assertThat(second.alreadyReleased()).containsExactly(BOB);
        assertThat(third.queueId()).isNull();
        assertThat(third.recipients()).isEmpty();
        assertThat(third.alreadyReleased()).containsExactly(ANN, BOB);
        assertThat(named.queueId()).isNull();
        assertThat(named.alreadyReleased()).containsExactly(BOB);
        assertThat(spool.history()).hasSize(2);
        assertThat(submitted).extracting(QueuedMessage::id).containsExactly(first.queueId(), second.queueId());
        assertThat(trace.typesFor("Bob@contoso.example")).containsExactly(TraceEvent.Type.QUARANTINE, TraceEvent.Type.RELEASE);
        assertThat(trace.typesFor("ann@contoso.example")).containsExactly(TraceEvent.Type.QUARANTINE, TraceEvent.Type.RELEASE);
        assertThat(quarantine.get(e.id()).orElseThrow().releasedBy()).isEqualTo("helpdesk2");
    }

    @Test
    void releasingAgainIsAskedForExplicitly() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN, BOB), QuarantineReason.SPAM, "x");
        quarantine.release(e.id(), List.of(BOB), "helpdesk", false).orElseThrow();

        var again = quarantine.release(e.id(), List.of(), "admin", true).orElseThrow();

        assertThat(again.recipients()).containsExactly(ANN, BOB);
        assertThat(again.alreadyReleased()).isEmpty();
        assertThat(spool.recipients(again.queueId())).extracting(QueuedRecipient::address).containsExactly(ANN, BOB);
        assertThat(trace.all().stream().filter(t -> t.type() == TraceEvent.Type.RELEASE).map(TraceEvent::detail)).containsExactly(
                "released from quarantine " + e.id() + " (SPAM) by helpdesk",
                "released from quarantine " + e.id() + " (SPAM) by admin",
                "released again from quarantine " + e.id() + " (SPAM) by admin");
    }

    @Test
    void whenTheReleaseCannotBeRecordedItsCopyIsWithdrawnAndTheReleaseCanBeRepeated() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN), QuarantineReason.SPAM, "x");
        var failing = new QuarantineService(new RecordingFails(store), spool, trace, clock, QuarantinePolicy.DEFAULT,
                (m, r) -> submitted.add(m));

        assertThatThrownBy(() -> failing.release(e.id(), List.of(), "admin", false)).hasMessage("store unavailable");

        assertThat(spool.history()).as("the copy was queued").hasSize(1);
        assertThat(spool.pending()).as("and withdrawn").isEmpty();
        assertThat(submitted).isEmpty();
        assertThat(quarantine.get(e.id()).orElseThrow().releasedTo()).isEmpty();
        assertThat(quarantine.release(e.id(), List.of(), "admin", false).orElseThrow().recipients()).containsExactly(ANN);
    }

    /** A copy whose release is recorded but cannot then be queued waits, suspended, where an administrator sees it. */
    @Test
    void aCopyThatCannotBeQueuedAfterItsReleaseStaysSuspendedNeverDeliveredUnseen() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN, BOB), QuarantineReason.SPAM, "x");
        spool.refuseUpdates = true;

        assertThatThrownBy(() -> quarantine.release(e.id(), List.of(), "admin", false)).hasMessage("spool cannot write");

        assertThat(submitted).isEmpty();
        QueueId copy = spool.history().getLast().id();
        assertThat(spool.recipients(copy)).extracting(QueuedRecipient::state)
                .as("no runner, here or on another node, delivers it before an administrator resumes it")
                .containsOnly(QueuedRecipient.State.SUSPENDED);
        assertThat(quarantine.get(e.id()).orElseThrow().releasedTo()).containsExactlyInAnyOrder(ANN, BOB);
    }

    /** The store, failing to record any release. */
    private record RecordingFails(QuarantineStore store) implements QuarantineStore {
        @Override public void save(QuarantinedMessage m) { store.save(m); }
        @Override public Quarantine.Page page(Quarantine.Query q) { return store.page(q); }
        @Override public java.util.Optional<QuarantineEntry> entry(String id) { return store.entry(id); }
        @Override public java.util.Optional<byte[]> content(String id) { return store.content(id); }
        @Override public java.util.Optional<List<Address>> recordRelease(String id, List<Address> rs, boolean again, String by, Instant at) {
            throw new IllegalStateException("store unavailable");
        }
        @Override public boolean delete(String id) { return store.delete(id); }
        @Override public int deleteExpired(Instant now) { return store.deleteExpired(now); }
    }

    @Test
    void anExpiredEntryIsNotReleasedEvenBeforeThePurge() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN), QuarantineReason.SPAM, "x");
        clock.advance(Duration.ofDays(15).minusSeconds(1));
        assertThat(quarantine.release(e.id(), List.of(), "admin", false)).isPresent();
        clock.advance(Duration.ofSeconds(1));

        assertThatThrownBy(() -> quarantine.release(e.id(), List.of(), "admin", true))
                .isInstanceOfSatisfying(Quarantine.Expired.class, x -> assertThat(x.expiresAt()).isEqualTo(e.expiresAt()))
                .hasMessage("quarantined message " + e.id() + " expired at 2025-06-16T12:00:00Z and can no longer be released");
        assertThat(spool.history()).hasSize(1);
        assertThat(quarantine.get(e.id())).as("still stored until the purge").isPresent();
    }

    @Test
    void aStrangerAmongTheRecipientsRefusesTheWholeRelease() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN), QuarantineReason.SPAM, "x");

        assertThatThrownBy(() -> quarantine.release(e.id(), List.of(ANN, BOB), "admin", false))
                .isInstanceOfSatisfying(Quarantine.UnknownRecipients.class,
                        u -> assertThat(u.addresses()).containsExactly("Bob@contoso.example"));
        assertThat(spool.history()).isEmpty();
        assertThat(quarantine.release("0123456789ABCDEF0123", List.of(), "admin", false)).isEmpty();
    }

    @Test
    void theReleaserCannotInjectHeaders() {
        QuarantineEntry e = quarantine.quarantine(received("s"), to(ANN), QuarantineReason.SPAM, "x");

        var released = quarantine.release(e.id(), List.of(), "eve\r\nBcc: all@contoso.example", false).orElseThrow();

        byte[] content = spool.message(released.queueId()).orElseThrow().content();
        assertThat(Headers.first(content, "Bcc")).isNull();
        assertThat(Headers.first(content, "X-Sluice-Quarantine-Released")).startsWith("by eve  Bcc: all@contoso.example at ");
    }

    @Test
    void deleteAndPurgeFollowRetention() {
        QuarantineEntry spam = quarantine.quarantine(received("spam"), to(ANN), QuarantineReason.SPAM, "x");
        QuarantineEntry malware = quarantine.quarantine(received("malware"), to(ANN), QuarantineReason.MALWARE, "x");
        QuarantineEntry deleted = quarantine.quarantine(received("gone"), to(ANN), QuarantineReason.PHISH, "x");

        assertThat(quarantine.delete(deleted.id())).isTrue();
        assertThat(quarantine.delete(deleted.id())).isFalse();
        assertThat(quarantine.purgeExpired(T0.plus(Duration.ofDays(15)).minusSeconds(1))).isZero();
        assertThat(quarantine.purgeExpired(T0.plus(Duration.ofDays(15)))).isEqualTo(1);
        assertThat(quarantine.get(spam.id())).isEmpty();
        assertThat(quarantine.get(malware.id())).isPresent();
        assertThat(quarantine.purgeExpired(T0.plus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(quarantine.search(Quarantine.Query.all(10))).isEmpty();
    }

    @Test
    void retentionIsConfigurable() {
        var week = new QuarantinePolicy(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(7));
        var service = new QuarantineService(store, spool, trace, clock, week, (m, r) -> { });

        assertThat(service.quarantine(received("s"), to(ANN), QuarantineReason.MALWARE, "x").expiresAt())
                .isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThatThrownBy(() -> new QuarantinePolicy(Duration.ZERO, week.spam(), week.spam(), week.spam(), week.spam()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
