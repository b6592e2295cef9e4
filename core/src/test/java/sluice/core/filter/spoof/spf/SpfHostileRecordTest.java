package sluice.core.filter.spoof.spf;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Records written to cost the checker work: parsing stays linear in the record's length.
 */
class SpfHostileRecordTest {

    static final InetAddress CLIENT = InetAddress.ofLiteral("192.0.2.1");

    @Test
    void aLongTopLabelThatEndsBadlyIsRejectedInLinearTime() {
        String letters = "x".repeat(40_000);
        MapDns dns = new MapDns().txt("example.org", "v=spf1 include:x." + letters + "! -all");
        // generous: the check takes milliseconds; the backtracking regex took half a minute
        SpfResult r = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> new SpfChecker(dns).checkMailFrom(CLIENT, "mx", "a@example.org"));
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).endsWith("does not end in a valid top-level label (section 7.1)");
    }

    @Test
    void topLabelsFollowTheGrammar() throws SpfError {
        for (String ok : new String[]{"a.com", "a.c0m", "a.0c", "a.x-1", "a.1-x", "a.a--b", "a.com."})
            assertThat(SpfRecord.domainSpec(ok, ok)).isEqualTo(ok);
        for (String bad : new String[]{"a.123", "a.-com", "a.com-", "a.c_m", "a.", "a.-", "a.1-", "com"}) {
            try {
                SpfRecord.domainSpec(bad, bad);
                throw new AssertionError(bad + " was accepted");
            } catch (SpfError e) {
                assertThat(e.code()).as(bad).isEqualTo(SpfResult.Code.PERMERROR);
            }
        }
    }
}
