package sluice.core.filter.spoof;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.mail.PublicSuffixList;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anti-spoofing answers within one deadline however slow DNS is: what DNS did not answer in time is
 * temperror, and the DATA reply is not held for minutes.
 */
class AntiSpoofingDeadlineTest {

    /** Answers {@link MapDns}'s zone, but a name in {@code hanging} never answers until released. */
    static final class SlowDns implements Dns {
        final MapDns zone;
        final List<String> hanging;
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger asked = new AtomicInteger();

        SlowDns(MapDns zone, List<String> hanging) {
            this.zone = zone;
            this.hanging = hanging;
        }

        private void maybeHang(Domain name) throws DnsFailure {
            asked.incrementAndGet();
            if (!hanging.contains(name.name())) return;
            try {
                if (!release.await(60, TimeUnit.SECONDS)) throw new DnsFailure("test DNS gave up");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DnsFailure("interrupted");
            }
        }

        @Override public List<Mx> mx(Domain d) throws NoSuchDomain, DnsFailure { maybeHang(d); return zone.mx(d); }
        @Override public List<InetAddress> addresses(Domain d) throws NoSuchDomain, DnsFailure { maybeHang(d); return zone.addresses(d); }
        @Override public List<InetAddress> a(Domain d) throws NoSuchDomain, DnsFailure { maybeHang(d); return zone.a(d); }
        @Override public List<InetAddress> aaaa(Domain d) throws NoSuchDomain, DnsFailure { maybeHang(d); return zone.aaaa(d); }
        @Override public List<String> txt(Domain d) throws NoSuchDomain, DnsFailure { maybeHang(d); return zone.txt(d); }
    }

    @BeforeAll
    static void loadTheSuffixListOutsideTheDeadlines() {
        PublicSuffixList.bundled();
    }

    static AntiSpoofing spoofing(Dns dns, Duration budget) {
        return new AntiSpoofing(dns, InstantSource.fixed(AntiSpoofingTest.NOW), RandomGenerator.of("L64X128MixRandom"), budget);
    }

    @Test
    void aDnsServerThatNeverAnswersGivesTemperrorsWithinTheDeadline() {
        SlowDns dns = new SlowDns(AntiSpoofingTest.zone(), List.of("example.org", "s1._domainkey.example.org", "_dmarc.example.org"));
        long start = System.nanoTime();
        SpoofResults r = spoofing(dns, Duration.ofMillis(400)).check(AntiSpoofingTest.GOOD_IP, "mx", "alice@example.org", AntiSpoofingTest.signedMessage());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        dns.release.countDown();
        assertThat(r.spf().code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.spf().reason()).contains("no answer within the anti-spoofing deadline");
        assertThat(r.dkim()).extracting(DkimResult::code).containsExactly(DkimResult.Code.TEMPERROR);
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.TEMPERROR);
        assertThat(millis).as("the 60 s the test DNS would hang").isLessThan(30_000);
    }

    @Test
    void aSlowSpfRecordLeavesTimeForDmarcSoASpoofedFromStillFails() {
        MapDns zone = AntiSpoofingTest.zone().txt("evil.test", "v=spf1 include:slow.evil.test -all");
        SlowDns dns = new SlowDns(zone, List.of("slow.evil.test"));
        // SPF gives up after 3 s; DMARC has the last second
        SpoofResults r = spoofing(dns, Duration.ofSeconds(4)).check(AntiSpoofingTest.BAD_IP, "evil.test", "bounce@evil.test",
                AntiSpoofingTest.MESSAGE.getBytes(StandardCharsets.US_ASCII));
        dns.release.countDown();
        assertThat(r.spf().code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.FAIL);
        assertThat(r.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.FAIL, "000"));
    }

    @Test
    void aSlowSpfRecordDoesNotStarveDkim() {
        MapDns zone = AntiSpoofingTest.zone().remove("example.org").txt("example.org", "v=spf1 include:slow.example.org -all");
        SlowDns dns = new SlowDns(zone, List.of("slow.example.org"));
        // DKIM runs beside SPF for the first 1.5 s, not after SPF gave up
        SpoofResults r = spoofing(dns, Duration.ofSeconds(2)).check(AntiSpoofingTest.GOOD_IP, "mx", "alice@example.org", AntiSpoofingTest.signedMessage());
        dns.release.countDown();
        assertThat(r.spf().code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.dkim()).extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS);
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.PASS);
    }

    /**
     * A review hid bank.example's p=reject behind a decoy whose name server never answers: the deadline spent on it,
     * bank.example's own look-up failed and counted as no record (permerror, which the IP allow list skips). Its policy is
     * unknown: the message waits for it (a temperror the policy defers), as for any DNS failure.
     */
    @Test
    void aDecoyWhoseDnsHangsDoesNotHideTheEnforcingDomainAnUnreadableFromShows() {
        MapDns zone = new MapDns().txt("_dmarc.bank.example", "v=DMARC1; p=reject");
        SlowDns dns = new SlowDns(zone, List.of("_dmarc.slow.example"));
        byte[] mail = "From: ceo@slow.example@bank.example\r\nSubject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8);
        SpoofResults r = spoofing(dns, Duration.ofMillis(400)).check(AntiSpoofingTest.GOOD_IP, "mx", "", mail);
        dns.release.countDown();
        assertThat(r.dmarc()).extracting(DmarcResult::code, DmarcResult::shownPolicyUnknown)
                .containsExactly(DmarcResult.Code.TEMPERROR, true);
    }

    @Test
    void fastDnsIsUnaffected() {
        SlowDns dns = new SlowDns(AntiSpoofingTest.zone(), List.of());
        SpoofResults r = spoofing(dns, Duration.ofSeconds(20)).check(AntiSpoofingTest.GOOD_IP, "mx", "alice@example.org", AntiSpoofingTest.signedMessage());
        assertThat(r.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.PASS, "100"));
    }
}
