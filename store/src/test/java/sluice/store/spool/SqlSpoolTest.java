package sluice.store.spool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.queue.Spool;
import sluice.store.EmbeddedStore;
import sluice.store.StoreException;

import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sluice.store.Fixtures.message;
import static sluice.store.Fixtures.nextId;
import static sluice.store.Fixtures.recipients;

class SqlSpoolTest {
    @TempDir
    Path dir;
    EmbeddedStore store;
    Spool spool;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir, InstantSource.system());
        spool = store.spool();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anEnqueuedMessageReadsBackWithEnvelopeContentAndRecipients() {
        QueueId id = nextId();
        QueuedMessage m = message(id, 4096);
        List<QueuedRecipient> rs = recipients(id, "a@example.com", "B.Person@Example.NET");
        spool.enqueue(m, rs);

        QueuedMessage back = spool.message(id).orElseThrow();
        assertThat(back).usingRecursiveComparison().isEqualTo(m);
        assertThat(spool.recipients(id)).containsExactlyElementsOf(rs);
        assertThat(spool.pending()).containsExactly(id);
    }

    @Test
    void theEnvelopeIsTheMessageWithoutItsContent() {
        QueueId id = nextId();
        QueuedMessage m = message(id, 4096).withTransportRuleConnector("c-7");
        spool.enqueue(m, recipients(id, "a@example.com"));

        Spool.Envelope envelope = spool.envelope(id).orElseThrow();
        assertThat(envelope.message().content()).isEmpty();
        assertThat(envelope.message()).usingRecursiveComparison().ignoringFields("content").isEqualTo(m);
        assertThat(envelope.size()).isEqualTo(m.content().length);
        assertThat(spool.envelope(nextId())).isEmpty();
    }

    @Test
    void nullableFieldsAndTheNullSenderRoundTrip() {
        QueueId id = nextId();
        QueuedMessage ndr = new QueuedMessage(id, sluice.core.mail.NetworkMessageId.random(), Instant.ofEpochMilli(5), "",
                null, null, null, null, null, new byte[0], QueuedMessage.Origin.INTERNET, false, null, false);
        QueuedRecipient r = new QueuedRecipient(id, 0, sluice.core.mail.Address.parse("x@example.com"), Set.of(), null,
                QueuedRecipient.State.QUEUED, 0, Instant.ofEpochMilli(7), null, false);
        spool.enqueue(ndr, List.of(r));
        assertThat(spool.message(id).orElseThrow()).usingRecursiveComparison().isEqualTo(ndr);
        assertThat(spool.recipients(id)).containsExactly(r);
    }

    @Test
    void updateRecordsStatesAndRemovesAMessageOnceEveryRecipientIsFinal() {
        QueueId id = nextId();
        List<QueuedRecipient> rs = recipients(id, "a@example.com", "b@example.com");
        spool.enqueue(message(id, 100), rs);

        QueuedRecipient delivered = rs.get(0).delivered("250 ok");
        QueuedRecipient deferred = rs.get(1).deferred("451 later", Instant.ofEpochMilli(1_760_000_600_000L)).withDelayNotified();
        spool.update(List.of(delivered, deferred), List.of());
        assertThat(spool.recipients(id)).containsExactly(delivered, deferred);
        assertThat(spool.pending()).containsExactly(id);

        spool.update(List.of(deferred.failed("550 no such user")), List.of());
        assertThat(spool.message(id)).isEmpty();
        assertThat(spool.recipients(id)).isEmpty();
        assertThat(spool.pending()).isEmpty();
    }

    @Test
    void generatedMessagesAreEnqueuedInTheSameStepAsTheUpdate() {
        QueueId id = nextId(), ndrId = nextId();
        List<QueuedRecipient> rs = recipients(id, "a@example.com");
        spool.enqueue(message(id, 100), rs);
        QueuedMessage ndr = message(ndrId, 300);
        spool.update(List.of(rs.get(0).failed("550 unknown")),
                List.of(new Spool.Generated(ndr, recipients(ndrId, "sender@example.org"))));
        assertThat(spool.message(id)).isEmpty();
        assertThat(spool.pending()).containsExactly(ndrId);
        assertThat(spool.message(ndrId).orElseThrow().content()).isEqualTo(ndr.content());
    }

    @Test
    void aFailingUpdateChangesNothing() {
        QueueId id = nextId(), taken = nextId();
        List<QueuedRecipient> rs = recipients(id, "a@example.com");
        spool.enqueue(message(id, 100), rs);
        spool.enqueue(message(taken, 100), recipients(taken, "b@example.com"));
        // the generated message reuses an existing id: the whole update must roll back
        assertThatThrownBy(() -> spool.update(List.of(rs.get(0).delivered("250 ok")),
                List.of(new Spool.Generated(message(taken, 10), recipients(taken, "c@example.com")))))
                .isInstanceOf(StoreException.class);
        assertThat(spool.recipients(id)).containsExactlyElementsOf(rs);
    }

    @Test
    void severalMessagesAreEnqueuedAllOrNone() {
        QueueId first = nextId(), second = nextId(), taken = nextId();
        spool.enqueue(message(taken, 100), recipients(taken, "b@example.com"));
        // the copies of one bifurcated message: the last reuses an existing id, so none may stay
        assertThatThrownBy(() -> spool.enqueue(List.of(new Spool.Generated(message(first, 10), recipients(first, "a@example.com")),
                new Spool.Generated(message(taken, 10), recipients(taken, "c@example.com")))))
                .isInstanceOf(StoreException.class);
        assertThat(spool.message(first)).isEmpty();
        assertThat(spool.pending()).containsExactly(taken);

        spool.enqueue(List.of(new Spool.Generated(message(first, 10), recipients(first, "a@example.com")),
                new Spool.Generated(message(second, 10), recipients(second, "c@example.com"))));
        assertThat(spool.pending()).containsExactlyInAnyOrder(taken, first, second);
    }

    @Test
    void suspendedRecipientsStayPending() {
        QueueId id = nextId();
        List<QueuedRecipient> rs = recipients(id, "a@example.com");
        spool.enqueue(message(id, 100), rs);
        spool.update(List.of(rs.get(0).withState(QueuedRecipient.State.SUSPENDED, Instant.ofEpochMilli(0))), List.of());
        assertThat(spool.pending()).containsExactly(id);
    }

    @Test
    void pendingListsOldestFirst() {
        List<QueueId> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) ids.add(nextId());
        List<QueueId> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled);
        for (QueueId id : shuffled) spool.enqueue(message(id, 10), recipients(id, "a@example.com", "b@example.com"));
        assertThat(spool.pending()).containsExactlyElementsOf(ids);
    }

    @Test
    void deleteRemovesMessageAndRecipients() {
        QueueId id = nextId();
        spool.enqueue(message(id, 10), recipients(id, "a@example.com"));
        spool.delete(id);
        assertThat(spool.message(id)).isEmpty();
        assertThat(spool.recipients(id)).isEmpty();
        spool.delete(id); // idempotent
    }

    @Test
    void enqueueRefusesMessagesWithoutOrWithForeignRecipients() {
        QueueId id = nextId(), other = nextId();
        assertThatThrownBy(() -> spool.enqueue(message(id, 10), List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> spool.enqueue(message(id, 10), recipients(other, "a@example.com")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDuplicateEnqueueFailsOnlyThatCaller() {
        QueueId id = nextId();
        spool.enqueue(message(id, 10), recipients(id, "a@example.com"));
        assertThatThrownBy(() -> spool.enqueue(message(id, 20), recipients(id, "b@example.com"))).isInstanceOf(StoreException.class);
        assertThat(spool.recipients(id)).extracting(r -> r.address().toString()).containsExactly("a@example.com");
    }

    @Test
    void manyConcurrentSessionsEnqueueAndEveryMessageIsThere() {
        int sessions = 20, each = 25;
        List<QueueId> ids = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < sessions; s++)
                pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        QueueId id = nextId();
                        spool.enqueue(message(id, 4096), recipients(id, "a@example.com", "b@example.com"));
                        ids.add(id);
                    }
                });
        }
        assertThat(spool.pending()).containsExactlyInAnyOrderElementsOf(ids).hasSize(sessions * each);
        for (QueueId id : ids) assertThat(spool.message(id).orElseThrow().content()).isEqualTo(message(id, 4096).content());
        assertThat(store.writer().commitCount()).isLessThan(store.writer().taskCount());
    }

    @Test
    void messagesSurviveAReopen() {
        QueueId id = nextId();
        spool.enqueue(message(id, 4096), recipients(id, "a@example.com"));
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        spool = store.spool();
        assertThat(spool.pending()).containsExactly(id);
        assertThat(spool.message(id).orElseThrow().content()).isEqualTo(message(id, 4096).content());
    }

    /** Whether the client asked for SMTPUTF8 decides what delivery asks of next hops, after a restart as before it. */
    @Test
    void theClientsSmtpUtf8RequestSurvivesAReopen() {
        QueueId asked = nextId();
        QueueId notAsked = nextId();
        spool.enqueue(message(asked, 300).withSmtpUtf8(true), recipients(asked, "a@example.com"));
        spool.enqueue(message(notAsked, 300), recipients(notAsked, "a@example.com"));
        store.close();
        store = EmbeddedStore.open(dir, InstantSource.system());
        spool = store.spool();

        assertThat(spool.message(asked).orElseThrow().smtpUtf8()).isTrue();
        assertThat(spool.envelope(asked).orElseThrow().message().smtpUtf8()).isTrue();
        assertThat(spool.message(notAsked).orElseThrow().smtpUtf8()).isFalse();
        assertThat(spool.envelope(notAsked).orElseThrow().message().smtpUtf8()).isFalse();
    }

    @Test
    void aSecondProcessCannotOpenTheSameDataDirectory() {
        assertThatThrownBy(() -> EmbeddedStore.open(dir, InstantSource.system()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("in use by another Sluice process");
    }
}
