package sluice.core.filter.spoof.spf;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class SpfCheckerTest {

    final MapDns dns = new MapDns().txt("example.org", "v=spf1 ip4:192.0.2.0/24 include:_spf.partner.test -all")
            .txt("_spf.partner.test", "v=spf1 ip6:2001:db8::/32 ~all");
    final SpfChecker checker = new SpfChecker(dns);

    static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @Test
    void anAuthorizedClientPasses() {
        SpfResult r = checker.checkMailFrom(ip("192.0.2.10"), "mx.example.org", "alice@example.org");
        assertThat(r).extracting(SpfResult::code, SpfResult::domain, SpfResult::mechanism)
                .containsExactly(SpfResult.Code.PASS, "example.org", "ip4:192.0.2.0/24");
        assertThat(r.reason()).isEqualTo("example.org gives pass for 192.0.2.10 by 'ip4:192.0.2.0/24'");
    }

    @Test
    void anIncludedNetworkPasses() {
        assertThat(checker.checkMailFrom(ip("2001:db8::25"), "mx", "alice@example.org").code()).isEqualTo(SpfResult.Code.PASS);
    }

    @Test
    void anyoneElseFailsWithTheDefaultExplanation() {
        SpfResult r = checker.checkMailFrom(ip("198.51.100.7"), "mx", "alice@example.org");
        assertThat(r.code()).isEqualTo(SpfResult.Code.FAIL);
        assertThat(r.explanation()).isEqualTo("example.org does not designate 198.51.100.7 as a permitted sender");
    }

    @Test
    void theNullReversePathChecksTheHeloName() {
        dns.txt("mx.example.org", "v=spf1 a -all").a("mx.example.org", "192.0.2.99");
        SpfResult r = checker.checkMailFrom(ip("192.0.2.99"), "mx.example.org", "");
        assertThat(r).extracting(SpfResult::code, SpfResult::domain).containsExactly(SpfResult.Code.PASS, "mx.example.org");
        assertThat(checker.checkHelo(ip("192.0.2.98"), "mx.example.org").code()).isEqualTo(SpfResult.Code.FAIL);
    }

    @Test
    void dnsFailureIsTemperrorAndNoRecordNone() {
        dns.fail("broken.test");
        assertThat(checker.checkMailFrom(ip("192.0.2.1"), "mx", "a@broken.test").code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(checker.checkMailFrom(ip("192.0.2.1"), "mx", "a@nothing.test").code()).isEqualTo(SpfResult.Code.NONE);
    }

    @Test
    void aResolverWithoutPtrSupportNeverMatchesPtr() {
        dns.txt("ptr.test", "v=spf1 ptr -all");
        // MapDns has no PTR data for this address: the mechanism does not match, the record fails
        assertThat(checker.checkMailFrom(ip("192.0.2.1"), "mx", "a@ptr.test").code()).isEqualTo(SpfResult.Code.FAIL);
    }

    @Test
    void garbageInputNeverThrows() {
        assertThat(checker.checkMailFrom(null, null, null).code()).isEqualTo(SpfResult.Code.NONE);
        assertThat(checker.checkMailFrom(ip("192.0.2.1"), "", "@@@").code()).isEqualTo(SpfResult.Code.NONE);
        assertThat(checker.checkMailFrom(ip("192.0.2.1"), "x", "a@" + "b".repeat(300) + ".test").code()).isEqualTo(SpfResult.Code.NONE);
    }

    @Test
    void aMacroThatNamesAnALabelNoOneDecodesIsLookedUpAsItStands() {
        // %{l} of xn--abc@ and xn--ab-0ea@ (invalid punycode, a CONTEXTO failure) makes names resolvers look up unchanged
        dns.txt("macro.test", "v=spf1 exists:%{l}.ok.macro.test include:%{l}._spf.macro.test -all")
                .a("xn--abc.ok.macro.test", "127.0.0.2")
                .txt("xn--ab-0ea._spf.macro.test", "v=spf1 ip4:192.0.2.0/24 -all");
        assertThat(checker.checkMailFrom(ip("198.51.100.1"), "mx", "xn--abc@macro.test"))
                .extracting(SpfResult::code, SpfResult::mechanism).containsExactly(SpfResult.Code.PASS, "exists:%{l}.ok.macro.test");
        assertThat(checker.checkMailFrom(ip("192.0.2.1"), "mx", "xn--ab-0ea@macro.test"))
                .extracting(SpfResult::code, SpfResult::mechanism).containsExactly(SpfResult.Code.PASS, "include:%{l}._spf.macro.test");
        assertThat(checker.checkMailFrom(ip("198.51.100.1"), "mx", "xn--ab-0ea@macro.test").code()).isEqualTo(SpfResult.Code.FAIL);
    }
}
