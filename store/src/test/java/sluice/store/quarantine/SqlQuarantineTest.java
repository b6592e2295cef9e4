package sluice.store.quarantine;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.core.mail.Address;
import sluice.core.mail.Headers;
import sluice.core.mail.NetworkMessageId;
import sluice.core.mail.QueueId;
import sluice.core.mail.QueuedMessage;
import sluice.core.mail.QueuedRecipient;
import sluice.core.quarantine.DsnRequest;
import sluice.core.quarantine.Quarantine;
import sluice.core.quarantine.QuarantineEntry;
import sluice.core.quarantine.QuarantinePolicy;
import sluice.core.quarantine.QuarantineReason;
import sluice.core.quarantine.QuarantineService;
import sluice.core.quarantine.QuarantinedMessage;
import sluice.store.EmbeddedStore;
import sluice.store.Fixtures;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class SqlQuarantineTest {

    private static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private SqlQuarantine quarantine;

    private void open() {
        store = EmbeddedStore.open(dir, InstantSource.fixed(T0));
        quarantine = store.quarantine();
    }


    @AfterEach
    void close() {
        if (store != null) store.close();
    }

    private static int seq;

    private static QuarantinedMessage held(String org, String sender, QuarantineReason reason, Instant received, String... rcpts) {
        return held(org, sender, reason, received, null, DsnRequest.none(rcpts.length), rcpts);
    }

    private static QuarantinedMessage held(String org, String sender, QuarantineReason reason, Instant received,
                                           String ruleConnector, DsnRequest dsn, String... rcpts) {
        byte[] content = ("Subject: held " + (++seq) + "\r\nMessage-ID: <m" + seq + "@x>\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII);
        var entry = new QuarantineEntry(QueueId.next(received).value(), org, NetworkMessageId.random(), received,
                received.plus(Duration.ofDays(15)), sender, java.util.Arrays.stream(rcpts).map(Address::parse).toList(), reason,
                "EICAR in a.txt", Headers.first(content, "Subject"), Headers.first(content, "Message-ID"), content.length,
                QueuedMessage.Origin.INTERNET, false, "192.0.2.1", "mx.example", ruleConnector, dsn, List.of(), null, null, false);
        return new QuarantinedMessage(entry, content);
    }

    @Test
    void anEntryAndItsContentSurviveAReopen() {
        open();
        QuarantinedMessage m = held("org-a", "Ann@Partner.example", QuarantineReason.MALWARE, T0, "bob@contoso.example", "carol@contoso.example");
        quarantine.save(m);
        store.close();
        open();

        assertThat(quarantine.entry(m.entry().id())).contains(m.entry());
        assertThat(quarantine.content(m.entry().id())).hasValueSatisfying(c -> assertThat(c).isEqualTo(m.content()));
        assertThat(quarantine.entry("0123456789ABCDEF0123")).isEmpty();
    }

    @Test
    void theSendersDsnRequestAndTheRuleConnectorSurviveAReopen() {
        open();
        var dsn = new DsnRequest("HDRS", "env+2Bid-7", List.of(
                new DsnRequest.Recipient(Set.of("SUCCESS", "FAILURE"), "rfc822;Bob@contoso.example"),
                new DsnRequest.Recipient(Set.of("NEVER"), null),
                DsnRequest.Recipient.DEFAULT));
        QuarantinedMessage m = held("org-a", "ann@partner.example", QuarantineReason.SPAM, T0, "conn-1", dsn,
                "bob@contoso.example", "carol@contoso.example", "dave@contoso.example");
        quarantine.save(m);
        store.close();
        open();

        QuarantineEntry e = quarantine.entry(id(m)).orElseThrow();
        assertThat(e.dsn()).isEqualTo(dsn);
        assertThat(e.transportRuleConnector()).isEqualTo("conn-1");
        assertThat(quarantine.search(Quarantine.Query.all(10))).containsExactly(e);
    }

    @Test
    void searchFiltersByScopeSenderRecipientReasonAndTimeNewestFirst() {
        open();
        var a1 = held("org-a", "ann@partner.example", QuarantineReason.MALWARE, T0.minusSeconds(300), "bob@contoso.example");
        var a2 = held("org-a", "spam@bulk.example", QuarantineReason.SPAM, T0.minusSeconds(200), "Carol@contoso.example", "bob@contoso.example");
        var b1 = held("org-b", "ann@partner.example", QuarantineReason.SPAM, T0.minusSeconds(100), "dave@fabrikam.example");
        var none = held(null, "x@relay.example", QuarantineReason.POLICY, T0.minusSeconds(50), "e@elsewhere.example");
        for (var m : List.of(a1, a2, b1, none)) quarantine.save(m);

        assertThat(ids(new Quarantine.Query(null, null, null, null, null, null, 0))).containsExactly(id(none), id(b1), id(a2), id(a1));
        assertThat(ids(new Quarantine.Query(List.of("org-a"), null, null, null, null, null, 0))).containsExactly(id(a2), id(a1));
        assertThat(ids(new Quarantine.Query(List.of(), null, null, null, null, null, 0))).isEmpty();
        assertThat(ids(new Quarantine.Query(null, "ANN@partner.example", null, null, null, null, 0))).containsExactly(id(b1), id(a1));
        assertThat(ids(new Quarantine.Query(null, "*@bulk.example", null, null, null, null, 0))).containsExactly(id(a2));
        assertThat(ids(new Quarantine.Query(null, null, "carol@CONTOSO.example", null, null, null, 0))).containsExactly(id(a2));
        assertThat(ids(new Quarantine.Query(null, null, "*@contoso.example", null, null, null, 0))).containsExactly(id(a2), id(a1));
        assertThat(ids(new Quarantine.Query(null, null, null, QuarantineReason.SPAM, null, null, 0))).containsExactly(id(b1), id(a2));
        assertThat(ids(new Quarantine.Query(null, null, null, null, T0.minusSeconds(200), T0.minusSeconds(100), 0))).containsExactly(id(a2));
        assertThat(ids(new Quarantine.Query(null, null, null, null, null, null, 1))).containsExactly(id(none));
        assertThat(quarantine.search(new Quarantine.Query(List.of("org-a"), null, "bob@contoso.example", null, null, null, 0)).getFirst()
                .recipients()).extracting(Address::toString).containsExactly("Carol@contoso.example", "bob@contoso.example");
    }

    @Test
    void releasesAreRecordedPerRecipient() {
        open();
        var m = held("org-a", "ann@partner.example", QuarantineReason.SPAM, T0, "bob@contoso.example", "carol@contoso.example");
        quarantine.save(m);

        Address carol = Address.parse("carol@contoso.example"), bob = Address.parse("bob@contoso.example");
        assertThat(quarantine.recordRelease(id(m), List.of(carol), false, "admin", T0.plusSeconds(60))).hasValue(List.of(carol));
        assertThat(quarantine.recordRelease("0123456789ABCDEF0123", List.of(), false, "admin", T0)).isEmpty();

        QuarantineEntry e = quarantine.entry(id(m)).orElseThrow();
        assertThat(e.releasedTo()).extracting(Address::toString).containsExactly("carol@contoso.example");
        assertThat(e.releasedBy()).isEqualTo("admin");
        assertThat(e.releasedAt()).isEqualTo(T0.plusSeconds(60));

        // a recipient is marked once: the second release of carol gets only bob, unless it is a release again
        assertThat(quarantine.recordRelease(id(m), List.of(Address.parse("CAROL@contoso.example"), bob), false, "helpdesk",
                T0.plusSeconds(90))).hasValue(List.of(bob));
        assertThat(quarantine.recordRelease(id(m), List.of(carol), false, "late", T0.plusSeconds(120))).hasValue(List.of());
        assertThat(quarantine.entry(id(m)).orElseThrow().releasedBy()).as("who released is who marked").isEqualTo("helpdesk");
        assertThat(quarantine.recordRelease(id(m), List.of(carol), true, "again", T0.plusSeconds(150))).hasValue(List.of(carol));
    }

    @Test
    void deleteAndExpiryRemoveEntriesWithTheirRecipients() throws Exception {
        open();
        var old = held("org-a", "a@x.example", QuarantineReason.SPAM, T0.minus(Duration.ofDays(20)), "bob@contoso.example");
        var recent = held("org-a", "a@x.example", QuarantineReason.SPAM, T0, "bob@contoso.example");
        var deleted = held("org-a", "a@x.example", QuarantineReason.SPAM, T0, "bob@contoso.example");
        for (var m : List.of(old, recent, deleted)) quarantine.save(m);

        assertThat(quarantine.delete(id(deleted))).isTrue();
        assertThat(quarantine.delete(id(deleted))).isFalse();
        assertThat(quarantine.deleteExpired(T0)).isEqualTo(1);

        assertThat(ids(Quarantine.Query.all(10))).containsExactly(id(recent));
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM quarantine_recipients")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void damagedContentIsNotServedAndDamagedRowsAreSkipped() throws Exception {
        open();
        var good = held("org-a", "a@x.example", QuarantineReason.SPAM, T0, "bob@contoso.example");
        var bad = held("org-a", "a@x.example", QuarantineReason.SPAM, T0.minusSeconds(1), "bob@contoso.example");
        quarantine.save(good);
        quarantine.save(bad);
        try (Connection c = Fixtures.rawConnection(dir); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE quarantine SET content = X'00', reason = 'NONSENSE' WHERE id = '" + id(bad) + "'");
        }

        assertThat(quarantine.content(id(bad))).isEmpty();
        assertThat(ids(Quarantine.Query.all(10))).containsExactly(id(good));
    }

    @Test
    void theServiceReleasesThroughTheSqlSpool() {
        open();
        var service = new QuarantineService(quarantine, store.spool(), store.trace(), InstantSource.fixed(T0),
                QuarantinePolicy.DEFAULT, (m, r) -> { });
        QueuedMessage received = Fixtures.message(Fixtures.nextId(), 300).withTransportRuleConnector("conn-1");
        List<QueuedRecipient> to = Fixtures.recipients(received.id(), "bob@contoso.example");
        var entry = service.quarantine(received, to, QuarantineReason.PHISH, "phish");

        var released = service.release(entry.id(), List.of(), "admin", false).orElseThrow();

        QueuedMessage copy = store.spool().message(released.queueId()).orElseThrow();
        assertThat(copy.networkId()).isEqualTo(received.networkId());
        assertThat(Headers.first(copy.content(), "X-Sluice-Quarantine-Released")).isEqualTo("by admin at Sun, 1 Jun 2025 12:00:00 GMT");
        assertThat(copy).extracting(QueuedMessage::dsnRet, QueuedMessage::dsnEnvId, QueuedMessage::transportRuleConnector)
                .containsExactly("HDRS", received.dsnEnvId(), "conn-1");
        assertThat(store.spool().recipients(released.queueId())).extracting(r -> r.address().toString(), QueuedRecipient::notifyOn,
                QueuedRecipient::orcpt).containsExactly(tuple("bob@contoso.example", Set.of("FAILURE", "DELAY"), "rfc822;bob@contoso.example"));
        assertThat(quarantine.entry(entry.id()).orElseThrow().expiresAt()).isEqualTo(T0.plus(Duration.ofDays(30)));
        var twice = service.release(entry.id(), List.of(Address.parse("Bob@Contoso.example")), "admin", false).orElseThrow();
        assertThat(twice.queueId()).isNull();
        assertThat(twice.alreadyReleased()).extracting(Address::toString).containsExactly("bob@contoso.example");
    }

    /** Held and released as it was received: a copy of SMTPUTF8 mail asks next hops for SMTPUTF8 as the original would have. */
    @Test
    void aReleasedCopyKeepsTheClientsSmtpUtf8Request() {
        open();
        QueuedMessage received = Fixtures.message(Fixtures.nextId(), 300).withSmtpUtf8(true);
        var entry = quarantine().quarantine(received, Fixtures.recipients(received.id(), "bob@contoso.example"),
                QuarantineReason.SPAM, "spam");
        QueuedMessage plain = Fixtures.message(Fixtures.nextId(), 300);
        var plainEntry = quarantine().quarantine(plain, Fixtures.recipients(plain.id(), "bob@contoso.example"),
                QuarantineReason.SPAM, "spam");
        store.close();
        open();

        assertThat(quarantine.entry(entry.id()).orElseThrow().smtpUtf8()).isTrue();
        assertThat(quarantine.entry(plainEntry.id()).orElseThrow().smtpUtf8()).isFalse();
        var released = quarantine().release(entry.id(), List.of(), "admin", false).orElseThrow();
        assertThat(store.spool().message(released.queueId()).orElseThrow().smtpUtf8()).isTrue();
        var plainReleased = quarantine().release(plainEntry.id(), List.of(), "admin", false).orElseThrow();
        assertThat(store.spool().message(plainReleased.queueId()).orElseThrow().smtpUtf8()).isFalse();
    }

    private QuarantineService quarantine() {
        return new QuarantineService(quarantine, store.spool(), store.trace(), InstantSource.fixed(T0),
                QuarantinePolicy.DEFAULT, (m, r) -> { });
    }

    private List<String> ids(Quarantine.Query q) {
        return quarantine.search(q).stream().map(QuarantineEntry::id).toList();
    }

    private static String id(QuarantinedMessage m) {
        return m.entry().id();
    }
}
