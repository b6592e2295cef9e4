package sluice.core.filter.spoof.spf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The macro examples of RFC 7208 section 7.4 (sender strong-bad@email.example.com). */
class SpfMacroTest {

    static SpfMacro.Values values(String ip) {
        InetAddress a = InetAddress.ofLiteral(ip);
        return letter -> switch (letter) {
            case 's' -> "strong-bad@email.example.com";
            case 'l' -> "strong-bad";
            case 'o', 'd' -> "email.example.com";
            case 'i' -> IpText.dotted(a);
            case 'v' -> ip.contains(":") ? "ip6" : "in-addr";
            default -> "";
        };
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "%{s}|strong-bad@email.example.com", "%{o}|email.example.com", "%{d}|email.example.com",
            "%{d4}|email.example.com", "%{d3}|email.example.com", "%{d2}|example.com", "%{d1}|com",
            "%{dr}|com.example.email", "%{d2r}|example.email", "%{l}|strong-bad", "%{l-}|strong.bad",
            "%{lr}|strong-bad", "%{lr-}|bad.strong", "%{l1r-}|strong",
            "%{ir}.%{v}._spf.%{d2}|3.2.0.192.in-addr._spf.example.com",
            "%{lr-}.lp._spf.%{d2}|bad.strong.lp._spf.example.com",
            "%{lr-}.lp.%{ir}.%{v}._spf.%{d2}|bad.strong.lp.3.2.0.192.in-addr._spf.example.com",
            "%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}|3.2.0.192.in-addr.strong.lp._spf.example.com",
            "%{d2}.trusted-domains.example.net|example.com.trusted-domains.example.net"})
    void ipv4Examples(String macro, String expansion) throws SpfError {
        assertThat(SpfMacro.expand(macro, values("192.0.2.3"), false)).isEqualTo(expansion);
    }

    @Test
    void ipv6Example() throws SpfError {
        assertThat(SpfMacro.expand("%{ir}.%{v}._spf.%{d2}", values("2001:db8::cb01"), false))
                .isEqualTo("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com");
    }

    @Test
    void escapesAndUrlEncoding() throws SpfError {
        assertThat(SpfMacro.expand("a%%b%_c%-d", values("192.0.2.3"), false)).isEqualTo("a%b c%20d");
        assertThat(SpfMacro.expand("%{L}", letter -> "a b&c", false)).isEqualTo("a%20b%26c");
    }

    @Test
    void syntaxErrors() {
        assertThatThrownBy(() -> SpfMacro.validate("%{x}", false)).isInstanceOf(SpfError.class);
        assertThatThrownBy(() -> SpfMacro.validate("%{c}", false)).as("c only in explanations").isInstanceOf(SpfError.class);
        assertThatThrownBy(() -> SpfMacro.validate("%{d0}", false)).isInstanceOf(SpfError.class);
        assertThatThrownBy(() -> SpfMacro.validate("%{d", false)).isInstanceOf(SpfError.class);
        assertThatThrownBy(() -> SpfMacro.validate("50%", false)).isInstanceOf(SpfError.class);
        assertThatThrownBy(() -> SpfMacro.validate("%{d2!}", false)).isInstanceOf(SpfError.class);
    }

    @Test
    void rfc5952TextForTheCMacro() {
        assertThat(IpText.readable(InetAddress.ofLiteral("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(IpText.readable(InetAddress.ofLiteral("2001:db8::cb01"))).isEqualTo("2001:db8::cb01");
        assertThat(IpText.readable(InetAddress.ofLiteral("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(IpText.readable(InetAddress.ofLiteral("::1"))).isEqualTo("::1");
    }
}
