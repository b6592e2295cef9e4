package sluice.core.filter.spoof;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.dkim.DkimVerifier;
import sluice.core.filter.spoof.dmarc.DmarcEvaluator;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.mail.PublicSuffixList;
import sluice.core.filter.spoof.spf.SpfChecker;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.trace.Incident;

import java.net.InetAddress;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.random.RandomGenerator;

/**
 * Anti-spoofing for one inbound message: SPF of MAIL FROM, every DKIM signature, DMARC and composite
 * authentication. Never throws, and answers within one deadline however slow DNS is: any failure is a
 * temperror or permerror result with a reason, and what DNS did not answer in time is temperror.
 *
 * <pre>{@code
 * AntiSpoofing spoofing = new AntiSpoofing(dns, InstantSource.system(), RandomGenerator.getDefault());
 * SpoofResults r = spoofing.check(clientIp, helo, mailFrom, content);
 * String header = AuthenticationResults.header("mx.example.net", clientIp.getHostAddress(), r);
 * }</pre>
 */
public final class AntiSpoofing {

    private static final Logger log = LoggerFactory.getLogger(AntiSpoofing.class);

    /**
     * For SPF, DKIM and DMARC together. Without it one check could hold the DATA reply for minutes:
     * SPF allows 10 MX terms of 10 address look-ups each, DKIM 10 key look-ups, each waiting for the
     * resolver's full timeout. Well below the 10 minutes a client waits for the reply (RFC 5321
     * section 4.5.3.2.6).
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(20);

    private final Dns dns;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Duration deadline;

    public AntiSpoofing(Dns dns, InstantSource clock, RandomGenerator random) {
        this(dns, clock, random, DEFAULT_DEADLINE);
    }

    /** @param deadline how long one {@link #check} may wait for DNS in all */
    public AntiSpoofing(Dns dns, InstantSource clock, RandomGenerator random, Duration deadline) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("the anti-spoofing deadline must be positive");
    }

    /**
     * SPF and DKIM run side by side until three quarters of the deadline, so a slow SPF record cannot
     * starve the DKIM key look-ups; DMARC's look-ups get what is left, at least the last quarter, so a
     * sender whose SPF record is made to be slow still meets the From domain's policy.
     *
     * @param mailFrom the reverse path without angle brackets; "" for the null reverse path
     * @param content  the message as received (CRLF line ends; bare LF is tolerated)
     */
    public SpoofResults check(InetAddress clientIp, String helo, String mailFrom, byte[] content) {
        long start = System.nanoTime();
        long total = deadline.toNanos();
        Dns early = new DeadlineDns(dns, start + total - total / 4);
        SpfChecker spf = new SpfChecker(early, "unknown", SpfChecker.DEFAULT_EXPLANATION, clock);
        FutureTask<List<DkimResult>> dkimTask = new FutureTask<>(() -> new DkimVerifier(early, clock).verify(content));
        Thread.ofVirtual().name("anti-spoofing-dkim").start(dkimTask);
        SpfResult s = spf.checkMailFrom(clientIp, helo, mailFrom == null ? "" : mailFrom);
        List<DkimResult> d = dkimResults(dkimTask);
        DmarcResult m;
        try {
            m = new DmarcEvaluator(new DeadlineDns(dns, start + total), PublicSuffixList.bundled(), random).evaluate(content, s, d);
        } catch (RuntimeException e) {
            // The reason goes into Authentication-Results and the trace: the exception's text only into the log. The
            // From's policy is unknown, and it may be a reject: the message waits (deferred), as for a look-up that failed.
            m = new DmarcResult(DmarcResult.Code.TEMPERROR, "", "", null, null, true, false, false,
                    Incident.logged(log, "evaluating DMARC", e).text(), true);
        }
        return new SpoofResults(s, d, m, CompositeAuthentication.of(s, d, m));
    }

    /** The DKIM results; its look-ups end by the deadline, so the wait does too. */
    private static List<DkimResult> dkimResults(FutureTask<List<DkimResult>> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return List.of(internalError("interrupted verifying DKIM"));
        } catch (ExecutionException e) {
            return List.of(internalError(Incident.logged(log, "verifying DKIM", e.getCause()).text()));
        }
    }

    private static DkimResult internalError(String reason) {
        return new DkimResult(DkimResult.Code.TEMPERROR, "", "", "", "", "", false, false, List.of(), reason);
    }
}
