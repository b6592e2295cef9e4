package sluice.core.filter.dkim;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Broken signatures, keys and messages give a result with a reason, never an exception. */
class DkimMalformedInputTest {

    static final String BODY_PART = "From: alice@example.org\r\nSubject: hi\r\n\r\nHello\r\n";
    static final Instant NOW = Instant.ofEpochSecond(1_704_103_200L);

    /** Signs BODY_PART by hand so tests can choose tags the signer never writes (l=, rsa-sha1, simple). */
    static String handSigned(KeyPair keys, DkimAlgorithm algorithm, String canon, String extraTags, long length) throws Exception {
        MessageText message = MessageText.parse(BODY_PART.getBytes(StandardCharsets.US_ASCII));
        String[] c = canon.split("/");
        byte[] body = Canonicalization.of(c[1]).body(message.body());
        if (length >= 0) body = java.util.Arrays.copyOf(body, (int) length);
        String field = "DKIM-Signature: v=1; a=" + algorithm.tag() + "; c=" + canon + "; d=example.org; s=s1; h=from:subject;"
                + extraTags + (length >= 0 ? " l=" + length + ";" : "")
                + " bh=" + Base64.getEncoder().encodeToString(DkimCrypto.digest(algorithm, body)) + "; b=";
        byte[] data = DkimCrypto.headerData(message, List.of("from", "subject"), Canonicalization.of(c[0]), field);
        return field + Base64.getEncoder().encodeToString(DkimCrypto.sign(algorithm, keys.getPrivate(), data)) + "\r\n" + BODY_PART;
    }

    static List<DkimResult> verify(MapDns dns, String message) {
        return new DkimVerifier(dns, InstantSource.fixed(NOW)).verify(message.getBytes(StandardCharsets.ISO_8859_1));
    }

    static MapDns withKey(String record) {
        return new MapDns().txt("s1._domainkey.example.org", record);
    }

    static final KeyPair RSA = DkimRoundTripTest.RSA;
    static final KeyPair ED = DkimRoundTripTest.ED;

    @Test
    void anUnsignedMessageHasNoResults() {
        assertThat(verify(new MapDns(), BODY_PART)).isEmpty();
    }

    @Test
    void simpleCanonicalizationVerifies() throws Exception {
        assertThat(verify(withKey(DkimKeys.dnsRecord(RSA.getPublic())), handSigned(RSA, DkimAlgorithm.RSA_SHA256, "simple/simple", "", -1)))
                .extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS);
    }

    @Test
    void rsaSha1PassesButIsReportedWeak() throws Exception {
        DkimResult r = verify(withKey(DkimKeys.dnsRecord(RSA.getPublic())), handSigned(RSA, DkimAlgorithm.RSA_SHA1, "relaxed/relaxed", "", -1)).getFirst();
        assertThat(r.code()).isEqualTo(DkimResult.Code.PASS);
        assertThat(r.weak()).isTrue();
        assertThat(r.strongPass()).isFalse();
        assertThat(r.risks()).containsExactly("rsa-sha1 is retired by RFC 8301");
    }

    @Test
    void aBodyShorterThanLIsPermerror() throws Exception {
        String signed = handSigned(ED, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed", "", 7).replace("Hello\r\n", "H\r\n");
        assertThat(verify(withKey(DkimKeys.dnsRecord(ED.getPublic())), signed).getFirst().reason()).isEqualTo("l=7 is longer than the body");
    }

    @Test
    void testingKeysAreFlagged() throws Exception {
        DkimResult r = verify(withKey(DkimKeys.dnsRecord(ED.getPublic()) + "; t=y"), handSigned(ED, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed", "", -1)).getFirst();
        assertThat(r.code()).isEqualTo(DkimResult.Code.PASS);
        assertThat(r.testing()).isTrue();
    }

    private DkimResult withRecord(String record) throws Exception {
        return verify(withKey(record), handSigned(ED, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed", "", -1)).getFirst();
    }

    @Test
    void keyRecordProblemsArePermerrors() throws Exception {
        String p = DkimKeys.dnsRecord(ED.getPublic()).substring("v=DKIM1; k=ed25519; ".length());
        assertThat(withRecord("v=DKIM1; k=ed25519; p=")).extracting(DkimResult::code, DkimResult::reason)
                .containsExactly(DkimResult.Code.PERMERROR, "key revoked (empty p=)");
        assertThat(withRecord("v=DKIM1; k=rsa; " + p).reason()).isEqualTo("key type k=rsa does not fit a=ed25519-sha256");
        assertThat(withRecord("v=DKIM1; k=ed25519; h=sha1; " + p).reason()).isEqualTo("key record h= does not allow sha256");
        assertThat(withRecord("v=DKIM1; k=ed25519; s=tlsrpt; " + p).reason()).isEqualTo("key record is not for email (s=)");
        assertThat(withRecord("k=ed25519; v=DKIM1; " + p).reason()).startsWith("bad key record at s1._domainkey.example.org");
        assertThat(withRecord("v=DKIM1; k=ed25519; p=!!notbase64!!").reason()).contains("bad base64");
        assertThat(withRecord("v=DKIM1; k=ed25519; p=AAAA").reason()).startsWith("cannot verify: an ed25519 p= must be 32 octets");
    }

    @Test
    void shortRsaKeysAreRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(512);
        KeyPair small = g.generateKeyPair();
        DkimResult r = verify(withKey(DkimKeys.dnsRecord(small.getPublic())), handSigned(small, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed", "", -1)).getFirst();
        assertThat(r.reason()).isEqualTo("RSA key of 512 bits is too short (RFC 8301)");
    }

    @Test
    void dnsFailureIsTemperrorAndAMissingKeyPermerror() throws Exception {
        String signed = handSigned(ED, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed", "", -1);
        assertThat(verify(new MapDns().fail("s1._domainkey.example.org"), signed).getFirst().code()).isEqualTo(DkimResult.Code.TEMPERROR);
        assertThat(verify(new MapDns(), signed).getFirst())
                .extracting(DkimResult::code, DkimResult::reason).containsExactly(DkimResult.Code.PERMERROR, "no key record at s1._domainkey.example.org");
    }

    @Test
    void malformedSignatureFieldsArePermerrorsThatStillNameTheDomain() {
        MapDns dns = new MapDns();
        String[] broken = {
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; h=from; bh=AAAA\r\n",            // no b=
                "DKIM-Signature: v=2; a=rsa-sha256; d=example.org; s=s1; h=from; bh=AAAA; b=AAAA\r\n",   // version
                "DKIM-Signature: v=1; a=rsa-md5; d=example.org; s=s1; h=from; bh=AAAA; b=AAAA\r\n",      // algorithm
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; h=subject; bh=AAAA; b=AAAA\r\n", // From unsigned
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; h=from; bh=AAAA; b=%%%%\r\n",   // base64
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; i=x@evil.test; s=s1; h=from; bh=AAAA; b=AAAA\r\n",
                "DKIM-Signature: v=1; v=1; a=rsa-sha256; d=example.org; s=s1; h=from; bh=AAAA; b=AAAA\r\n",
                "DKIM-Signature: v=1; a=rsa-sha256; d=example.org; s=s1; h=from; bh=AAAA; b=AAAA; t=9; x=1\r\n",
                "DKIM-Signature: garbage without tags\r\n",
                "DKIM-Signature:\r\n",
        };
        for (String field : broken) {
            List<DkimResult> results = verify(dns, field + BODY_PART);
            assertThat(results).as(field).singleElement().extracting(DkimResult::code).isEqualTo(DkimResult.Code.PERMERROR);
            assertThat(results.getFirst().reason()).as(field).startsWith("malformed signature: ");
        }
        assertThat(verify(dns, broken[1] + BODY_PART).getFirst().domain()).isEqualTo("example.org");
        assertThat(dns.queries()).isZero();
    }

    @Test
    void hugeHeadersAndManySignaturesAreBounded() throws Exception {
        String signed = handSigned(ED, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed", "", -1);
        String huge = "X-Filler: " + "a".repeat(200_000) + "\r\n" + "DKIM-Signature: v=1; a=rsa-sha256; d=x.test; s=s; h=from; bh=AA==; b=AA==\r\n".repeat(30) + signed;
        List<DkimResult> results = verify(withKey(DkimKeys.dnsRecord(ED.getPublic())), huge);
        assertThat(results).hasSize(DkimVerifier.MAX_SIGNATURES);
    }

    @Test
    void aMessageWithoutHeaderOrBodyGivesNoResults() {
        assertThat(verify(new MapDns(), "")).isEmpty();
        assertThat(verify(new MapDns(), "\r\n\r\n")).isEmpty();
        assertThat(verify(new MapDns(), "no colon here at all")).isEmpty();
    }
}
