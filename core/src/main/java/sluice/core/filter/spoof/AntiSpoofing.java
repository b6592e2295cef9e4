package sluice.core.filter.spoof;

import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.dkim.DkimVerifier;
import sluice.core.filter.spoof.dmarc.DmarcEvaluator;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.filter.spoof.dmarc.PublicSuffixList;
import sluice.core.filter.spoof.spf.SpfChecker;
import sluice.core.filter.spoof.spf.SpfResult;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Anti-spoofing for one inbound message: SPF of MAIL FROM, every DKIM signature, DMARC and composite
 * authentication. Never throws and never blocks longer than the Dns implementation's timeouts allow:
 * any failure is a temperror or permerror result with a reason.
 *
 * <pre>{@code
 * AntiSpoofing spoofing = new AntiSpoofing(dns, InstantSource.system(), RandomGenerator.getDefault());
 * SpoofResults r = spoofing.check(clientIp, helo, mailFrom, content);
 * String header = AuthenticationResults.header("mx.example.net", clientIp.getHostAddress(), r);
 * }</pre>
 */
public final class AntiSpoofing {

    private final SpfChecker spf;
    private final DkimVerifier dkim;
    private final DmarcEvaluator dmarc;

    public AntiSpoofing(Dns dns, InstantSource clock, RandomGenerator random) {
        Objects.requireNonNull(dns, "dns");
        this.spf = new SpfChecker(dns, "unknown", SpfChecker.DEFAULT_EXPLANATION, clock);
        this.dkim = new DkimVerifier(dns, clock);
        this.dmarc = new DmarcEvaluator(dns, PublicSuffixList.bundled(), random);
    }

    /**
     * @param mailFrom the reverse path without angle brackets; "" for the null reverse path
     * @param content  the message as received (CRLF line ends; bare LF is tolerated)
     */
    public SpoofResults check(InetAddress clientIp, String helo, String mailFrom, byte[] content) {
        SpfResult s = spf.checkMailFrom(clientIp, helo, mailFrom == null ? "" : mailFrom);
        List<DkimResult> d;
        try {
            d = dkim.verify(content);
        } catch (RuntimeException e) {
            d = List.of(new DkimResult(DkimResult.Code.TEMPERROR, "", "", "", "", "", false, false, List.of(), "internal error verifying DKIM: " + e));
        }
        DmarcResult m;
        try {
            m = dmarc.evaluate(content, s, d);
        } catch (RuntimeException e) {
            m = new DmarcResult(DmarcResult.Code.TEMPERROR, "", "", null, null, true, false, false, "internal error evaluating DMARC: " + e);
        }
        return new SpoofResults(s, d, m, CompositeAuthentication.of(s, d, m));
    }
}
