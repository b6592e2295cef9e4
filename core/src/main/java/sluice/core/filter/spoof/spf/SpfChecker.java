package sluice.core.filter.spoof.spf;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sluice.core.dns.Dns;
import sluice.core.trace.Incident;

import java.net.InetAddress;
import java.time.InstantSource;
import java.util.Objects;

/**
 * SPF (RFC 7208): is this client allowed to send for the MAIL FROM (or HELO) domain? Never throws:
 * DNS failures are temperror, broken records permerror. All DNS goes through the {@link Dns} port,
 * whose timeouts bound each look-up; the 10-look-up limit bounds their number.
 *
 * <pre>{@code
 * SpfResult r = new SpfChecker(dns).checkMailFrom(ip, "mail.example.org", "alice@example.org");
 * }</pre>
 */
public final class SpfChecker {

    private static final Logger log = LoggerFactory.getLogger(SpfChecker.class);

    /** Used when a failing domain gives no explanation of its own (section 6.2). */
    public static final String DEFAULT_EXPLANATION = "%{o} does not designate %{c} as a permitted sender";

    private final Dns dns;
    private final String receiver;
    private final String defaultExplanation;
    private final InstantSource clock;

    public SpfChecker(Dns dns) {
        this(dns, "unknown", DEFAULT_EXPLANATION, InstantSource.system());
    }

    /**
     * @param receiver           the %{r} macro: our host name (section 7.2)
     * @param defaultExplanation a macro string used when the domain has no exp= of its own
     * @param clock              the %{t} macro
     */
    public SpfChecker(Dns dns, String receiver, String defaultExplanation, InstantSource clock) {
        this.dns = Objects.requireNonNull(dns, "dns");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        this.defaultExplanation = Objects.requireNonNull(defaultExplanation, "defaultExplanation");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * The MAIL FROM identity (section 2.4). An empty reverse path ("" for {@code MAIL FROM:<>}) checks
     * postmaster@HELO instead (section 2.4); a missing local part is "postmaster" (section 4.3).
     */
    public SpfResult checkMailFrom(InetAddress client, String helo, String mailFrom) {
        String h = helo == null ? "" : helo;
        String sender = mailFrom == null || mailFrom.isEmpty() ? "postmaster@" + h : mailFrom;
        int at = sender.lastIndexOf('@');
        String local = at <= 0 ? "postmaster" : sender.substring(0, at);
        String domain = at < 0 ? sender : sender.substring(at + 1);
        return check(client, h, local, domain);
    }

    /** The HELO identity (section 2.3): checked as postmaster@HELO. */
    public SpfResult checkHelo(InetAddress client, String helo) {
        String h = helo == null ? "" : helo;
        return check(client, h, "postmaster", h);
    }

    private SpfResult check(InetAddress client, String helo, String local, String domain) {
        if (client == null) return SpfResult.of(SpfResult.Code.NONE, domain, "no client address");
        // Section 4.3: a domain that is not a fully qualified name gives "none" without any look-up
        if (SpfEvaluation.queryName(domain) == null || !domain.contains("."))
            return SpfResult.of(SpfResult.Code.NONE, domain, "'" + domain + "' is not a domain name that can have an SPF record");
        try {
            return new SpfEvaluation(dns, IpText.normalize(client), local, domain, helo, receiver, defaultExplanation, clock).run();
        } catch (RuntimeException e) {
            // a defect must not take mail down with it; the pipeline sees an error result, whose reason reaches
            // Authentication-Results and the trace: the exception's text goes only to the log
            return SpfResult.of(SpfResult.Code.TEMPERROR, domain, Incident.logged(log, "evaluating SPF for " + domain, e).text());
        }
    }
}
