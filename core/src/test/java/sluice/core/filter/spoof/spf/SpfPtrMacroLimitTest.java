package sluice.core.filter.spoof.spf;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * %{p} (RFC 7208 section 7.3) needs a PTR look-up and up to 10 address look-ups to validate its names:
 * they are made once per check, and each %{p} in a mechanism or modifier counts against the limit of
 * 10 DNS-querying terms (section 4.6.4: "the number of PTR resource records queried is included").
 */
class SpfPtrMacroLimitTest {

    static final InetAddress CLIENT = InetAddress.ofLiteral("192.0.2.1");

    static MapDns ptrZone() {
        MapDns dns = new MapDns();
        for (int i = 0; i < 10; i++) {
            dns.ptr(MapDns.reverseName(CLIENT), "h" + i + ".example.org");
            dns.a("h" + i + ".example.org", "192.0.2.1");
        }
        return dns;
    }

    @Test
    void pMacrosCountAgainstTheLookupLimitAndLookUpThePtrOnce() {
        MapDns dns = ptrZone().txt("example.org", "v=spf1 a:" + "%{p}.".repeat(30) + "x.example -all");
        SpfResult r = new SpfChecker(dns).checkMailFrom(CLIENT, "mx", "a@example.org");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PERMERROR);
        assertThat(r.reason()).isEqualTo("more than 10 DNS-querying terms (section 4.6.4)");
        assertThat(dns.queries()).as("TXT, one PTR, ten A to validate its names").isLessThanOrEqualTo(12);
    }

    @Test
    void severalPTermsShareOnePtrLookup() {
        MapDns dns = ptrZone();
        StringBuilder record = new StringBuilder("v=spf1");
        for (String s : new String[]{"a", "b", "c", "d"}) {
            record.append(" a:%{p}.").append(s).append(".example");
            dns.a("h0.example.org." + s + ".example", "198.51.100.1");
        }
        dns.txt("example.org", record + " -all");
        SpfResult r = new SpfChecker(dns).checkMailFrom(CLIENT, "mx", "a@example.org");
        assertThat(r.code()).as("4 a terms and 4 %{p} are 8 look-ups").isEqualTo(SpfResult.Code.FAIL);
        assertThat(dns.queries()).as("TXT, one PTR, ten A to validate its names, four A").isEqualTo(16);
    }

    @Test
    void aPMacroStillExpandsToTheValidatedName() {
        MapDns dns = ptrZone().txt("example.org", "v=spf1 exists:%{p}.allow.example -all").a("h0.example.org.allow.example", "127.0.0.2");
        SpfResult r = new SpfChecker(dns).checkMailFrom(CLIENT, "mx", "a@example.org");
        assertThat(r.code()).isEqualTo(SpfResult.Code.PASS);
    }
}
