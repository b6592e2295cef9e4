package sluice.core.filter.spoof;

import org.junit.jupiter.api.Test;
import sluice.core.dns.Dns;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.filter.spoof.spf.SpfChecker;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A defect while checking SPF, DKIM or DMARC (here: a resolver that throws what it should not, or content the
 * verifier cannot take) gives a temperror whose reason says only that an internal error happened and under which
 * reference the operator finds it. The reason goes into Authentication-Results, which the recipient and whoever
 * the message is forwarded to read, and into the tenant's message trace: the exception's text, which may name
 * files, addresses and classes of the node, goes only to the log.
 */
class InternalErrorsShowOnlyAReferenceTest {

    private static final String INTERNALS = "resolver cache /var/lib/sluice/dns.bin corrupt at 10.1.2.3";
    private static final String REFERENCE_ONLY = "internal error \\(reference [0-9a-f]{8}\\)";

    /** Answers as {@link AntiSpoofingTest#zone} does, except that TXT look-ups of {@code broken} throw. */
    private static Dns brokenFor(String broken) {
        MapDns zone = AntiSpoofingTest.zone();
        return new Dns() {
            @Override public List<Mx> mx(Domain d) throws NoSuchDomain, DnsFailure { return zone.mx(d); }
            @Override public List<InetAddress> addresses(Domain d) throws NoSuchDomain, DnsFailure { return zone.addresses(d); }
            @Override public List<String> txt(Domain d) throws NoSuchDomain, DnsFailure {
                if (d.name().equals(broken)) throw new IllegalStateException(INTERNALS);
                return zone.txt(d);
            }
        };
    }

    @Test
    void aDefectInSpfShowsOnlyAReference() {
        SpfResult r = new SpfChecker(brokenFor("example.org")).checkMailFrom(AntiSpoofingTest.GOOD_IP, "mx.example.org", "alice@example.org");

        assertThat(r.code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.reason()).matches(REFERENCE_ONLY);
    }

    @Test
    void aDefectInDmarcShowsOnlyAReferenceInTheHeader() {
        SpoofResults r = AntiSpoofingTest.spoofing(brokenFor("_dmarc.example.org"))
                .check(AntiSpoofingTest.GOOD_IP, "mx.example.org", "alice@example.org", AntiSpoofingTest.signedMessage());

        // the resolver's defect is a DNS failure like any other, so DMARC says which look-up failed
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.TEMPERROR);
        assertThat(r.dmarc().reason()).matches("DNS failure looking up the DMARC record: TXT _dmarc.example.org: " + REFERENCE_ONLY);
        assertThat(AuthenticationResults.header("mx.sluice.test", "192.0.2.10", r))
                .doesNotContain("IllegalStateException").doesNotContain("dns.bin").doesNotContain("10.1.2.3");
    }

    @Test
    void aDefectInTheDkimVerifierShowsOnlyAReference() {
        // content the verifier fails on before it looks at any signature: its task ends with the exception
        SpoofResults r = AntiSpoofingTest.spoofing(AntiSpoofingTest.zone())
                .check(AntiSpoofingTest.GOOD_IP, "mx.example.org", "alice@example.org", null);

        assertThat(r.dkim()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo(DkimResult.Code.TEMPERROR);
            assertThat(d.reason()).matches(REFERENCE_ONLY);
        });
        assertThat(r.dmarc().reason()).matches(REFERENCE_ONLY);
    }
}
