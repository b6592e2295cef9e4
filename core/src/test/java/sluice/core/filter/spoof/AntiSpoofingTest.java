package sluice.core.filter.spoof;

import org.junit.jupiter.api.Test;
import sluice.core.dns.DnsJavaResolver;
import sluice.core.dns.DnsStub;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.filter.dkim.DkimResult;
import sluice.core.filter.dkim.DkimSigner;
import sluice.core.filter.dkim.SignResult;
import sluice.core.filter.spoof.dmarc.Disposition;
import sluice.core.filter.spoof.dmarc.DmarcResult;
import sluice.core.filter.spoof.spf.SpfResult;
import sluice.core.mail.Domain;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** Scenarios through the facade: SPF, DKIM, DMARC, compauth and the header together. */
class AntiSpoofingTest {

    static final Instant NOW = Instant.ofEpochSecond(1_704_103_200L);
    static final KeyPair KEYS = DkimKeys.generate(DkimKeys.KeyType.ED25519);
    static final InetAddress GOOD_IP = InetAddress.ofLiteral("192.0.2.10");
    static final InetAddress BAD_IP = InetAddress.ofLiteral("203.0.113.66");
    static final String MESSAGE = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: hello\r\n\r\nHi Bob\r\n";

    static byte[] signedMessage() {
        DkimSigner signer = new DkimSigner(Domain.of("example.org"), "s1", KEYS.getPrivate(), InstantSource.fixed(NOW), Duration.ZERO);
        return ((SignResult.Signed) signer.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII))).content();
    }

    static MapDns zone() {
        return new MapDns().txt("example.org", "v=spf1 ip4:192.0.2.0/24 -all")
                .txt("s1._domainkey.example.org", DkimKeys.dnsRecord(KEYS.getPublic()))
                .txt("_dmarc.example.org", "v=DMARC1; p=reject; rua=mailto:dmarc@example.org");
    }

    static AntiSpoofing spoofing(sluice.core.dns.Dns dns) {
        return new AntiSpoofing(dns, InstantSource.fixed(NOW), RandomGenerator.of("L64X128MixRandom"));
    }

    @Test
    void legitimateMailPassesEverything() {
        SpoofResults r = spoofing(zone()).check(GOOD_IP, "mx.example.org", "alice@example.org", signedMessage());
        assertThat(r.spf().code()).isEqualTo(SpfResult.Code.PASS);
        assertThat(r.dkim()).extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS);
        assertThat(r.dmarc()).extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.PASS, Disposition.NONE);
        assertThat(r.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.PASS, "100"));
    }

    @Test
    void aSpoofedFromFailsDmarcWithTheDomainsRejectPolicy() {
        SpoofResults r = spoofing(zone()).check(BAD_IP, "evil.test", "bounce@evil.test", MESSAGE.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.spf().code()).isEqualTo(SpfResult.Code.NONE);
        assertThat(r.dkim()).isEmpty();
        assertThat(r.dmarc()).extracting(DmarcResult::code, DmarcResult::disposition).containsExactly(DmarcResult.Code.FAIL, Disposition.REJECT);
        assertThat(r.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.FAIL, "000"));
    }

    @Test
    void theAuthenticationResultsHeader() {
        byte[] signed = signedMessage();
        SpoofResults r = spoofing(zone()).check(GOOD_IP, "mx.example.org", "alice@example.org", signed);
        String b = r.dkim().getFirst().headerB();
        assertThat(AuthenticationResults.header("mx.sluice.test", "192.0.2.10", r)).isEqualTo(
                "Authentication-Results: mx.sluice.test;\r\n"
                        + "\tspf=pass (sender IP is 192.0.2.10) smtp.mailfrom=example.org;\r\n"
                        + "\tdkim=pass (signature verified with s1._domainkey.example.org) header.d=example.org header.s=s1 header.b="
                        + AuthenticationResults.value(b) + ";\r\n"
                        + "\tdmarc=pass action=none header.from=example.org;\r\n"
                        + "\tcompauth=pass reason=100\r\n");
    }

    @Test
    void theHeaderOfAnUnsignedFailingMessage() {
        SpoofResults r = spoofing(zone()).check(BAD_IP, "evil.test", "alice@example.org", MESSAGE.getBytes(StandardCharsets.US_ASCII));
        assertThat(AuthenticationResults.header("mx.sluice.test", "203.0.113.66", r)).isEqualTo(
                "Authentication-Results: mx.sluice.test;\r\n"
                        + "\tspf=fail (sender IP is 203.0.113.66) smtp.mailfrom=example.org;\r\n"
                        + "\tdkim=none (message not signed);\r\n"
                        + "\tdmarc=fail action=reject header.from=example.org;\r\n"
                        + "\tcompauth=fail reason=000\r\n");
    }

    @Test
    void headerValuesAreQuotedWhenTheyAreNotTokens() {
        assertThat(AuthenticationResults.value("example.org")).isEqualTo("example.org");
        assertThat(AuthenticationResults.value("ab/cd+e=")).isEqualTo("\"ab/cd+e=\"");
        assertThat(AuthenticationResults.comment("a (nested) \\ text\r\n")).isEqualTo("a  nested    text");
        assertThat(AuthenticationResults.value("a \"b\"\r\nc\\")).isEqualTo("\"a \\\"b\\\"  c\\\\\"");
        assertThat(AuthenticationResults.comment("caf\u00e9\tok")).isEqualTo("caf??ok");
    }

    @Test
    void mailingListStyleUnalignedDkimIsASoftpassWithoutAnEnforcingPolicy() {
        MapDns dns = zone().remove("_dmarc.example.org").txt("_dmarc.example.org", "v=DMARC1; p=none");
        DkimSigner list = new DkimSigner(Domain.of("lists.test"), "s1", KEYS.getPrivate(), InstantSource.fixed(NOW), Duration.ZERO);
        dns.txt("s1._domainkey.lists.test", DkimKeys.dnsRecord(KEYS.getPublic()));
        byte[] content = ((SignResult.Signed) list.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII))).content();
        SpoofResults r = spoofing(dns).check(BAD_IP, "lists.test", "bounces@lists.test", content);
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.FAIL);
        assertThat(r.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.SOFTPASS, "200"));
    }

    @Test
    void dnsFailuresGiveTemperrorsNotExceptions() {
        MapDns dns = zone().fail("example.org").fail("_dmarc.example.org").fail("s1._domainkey.example.org");
        SpoofResults r = spoofing(dns).check(GOOD_IP, "mx", "alice@example.org", signedMessage());
        assertThat(r.spf().code()).isEqualTo(SpfResult.Code.TEMPERROR);
        assertThat(r.dkim()).extracting(DkimResult::code).containsExactly(DkimResult.Code.TEMPERROR);
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.TEMPERROR);
        assertThat(r.compauth().result()).isEqualTo(CompositeAuthentication.Result.NONE);
    }

    @Test
    void malformedMessagesNeverThrow() {
        AntiSpoofing s = spoofing(zone());
        for (String content : List.of("", "\r\n", "garbage", "From: \r\n\r\n", "From: a@example.org\r\nFrom: b@example.org\r\n\r\n",
                "DKIM-Signature: v=1; a=\r\nFrom: a@example.org\r\n\r\n", "X: " + "y".repeat(100_000) + "\r\n\r\n")) {
            SpoofResults r = s.check(BAD_IP, "x", "", content.getBytes(StandardCharsets.ISO_8859_1));
            assertThat(r.compauth()).isNotNull();
        }
        SpoofResults none = s.check(BAD_IP, "x", "", "Subject: no from\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(none.dmarc().code()).isEqualTo(DmarcResult.Code.PERMERROR);
        assertThat(none.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.FAIL, "002"));
    }

    @Test
    void endToEndOverUdpAgainstTheDnsStub() {
        try (DnsStub stub = DnsStub.start("127.0.0.1")) {
            String record = DkimKeys.dnsRecord(KEYS.getPublic());
            stub.txt("example.org", "v=spf1 ptr:example.org a:mx.example.org -all").a("mx.example.org", "192.0.2.10")
                    .ptr("192.0.2.10", "mx.example.org")
                    .txt("s1._domainkey.example.org", record)
                    .txt("_dmarc.example.org", "v=DMARC1; p=quarantine");
            DnsJavaResolver dns = new DnsJavaResolver(List.of(stub.server()), Duration.ofMillis(500), 0);
            SpoofResults r = spoofing(dns).check(GOOD_IP, "mx.example.org", "alice@example.org", signedMessage());
            assertThat(r.spf()).extracting(SpfResult::code, SpfResult::mechanism).containsExactly(SpfResult.Code.PASS, "ptr:example.org");
            assertThat(r.dkim()).extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS);
            assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.PASS);
            assertThat(stub.queries()).isGreaterThanOrEqualTo(5);
        }
    }
}
