package sluice.core.filter.dkim;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;
import sluice.core.mail.Domain;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sign with {@link DkimSigner}, publish {@link DkimKeys#dnsRecord}, verify with {@link DkimVerifier}. */
class DkimRoundTripTest {

    static final String MESSAGE = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Lunch\r\n"
            + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nShall we?\r\n\r\n";
    static final Instant NOW = Instant.ofEpochSecond(1_704_103_200L);
    static final KeyPair RSA = DkimKeys.generate(DkimKeys.KeyType.RSA_2048);
    static final KeyPair ED = DkimKeys.generate(DkimKeys.KeyType.ED25519);

    static KeyPair keys(DkimKeys.KeyType type) {
        return type == DkimKeys.KeyType.RSA_2048 ? RSA : ED;
    }

    static byte[] signed(DkimKeys.KeyType type, String message, Duration validity) {
        DkimSigner signer = new DkimSigner(Domain.of("example.org"), "s1", keys(type).getPrivate(), InstantSource.fixed(NOW), validity);
        return ((SignResult.Signed) signer.sign(message.getBytes(StandardCharsets.UTF_8))).content();
    }

    static List<DkimResult> verify(DkimKeys.KeyType type, byte[] content, Instant at) {
        MapDns dns = new MapDns().txt("s1._domainkey.example.org", DkimKeys.dnsRecord(keys(type).getPublic()));
        return new DkimVerifier(dns, InstantSource.fixed(at)).verify(content);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(DkimKeys.KeyType.class)
    void aSignedMessageVerifies(DkimKeys.KeyType type) {
        List<DkimResult> results = verify(type, signed(type, MESSAGE, Duration.ZERO), NOW);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.code()).isEqualTo(DkimResult.Code.PASS);
            assertThat(r.domain()).isEqualTo("example.org");
            assertThat(r.algorithm()).isEqualTo(type == DkimKeys.KeyType.ED25519 ? "ed25519-sha256" : "rsa-sha256");
            assertThat(r.strongPass()).isTrue();
        });
    }

    @Test
    void aMessageWithManyInstancesOfASignedFieldIsSignedWithinWhatVerifiersTake() {
        String many = "From: Alice <alice@example.org>\r\n" + "To: bob@example.net\r\n".repeat(100) + "Subject: hi\r\n\r\nbody\r\n";
        List<DkimResult> results = verify(DkimKeys.KeyType.ED25519, signed(DkimKeys.KeyType.ED25519, many, Duration.ZERO), NOW);
        assertThat(results).singleElement().extracting(DkimResult::code)
                .as("not a permerror for too many names; the To fields beyond those signed are reported")
                .isEqualTo(DkimResult.Code.POLICY);
    }

    @ParameterizedTest
    @EnumSource(DkimKeys.KeyType.class)
    void aTamperedBodyFailsOnTheBodyHash(DkimKeys.KeyType type) {
        byte[] tampered = text(signed(type, MESSAGE, Duration.ZERO)).replace("Shall we?", "Send money.").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(type, tampered, NOW)).singleElement()
                .extracting(DkimResult::code, DkimResult::reason).containsExactly(DkimResult.Code.FAIL, "body hash mismatch: the body was changed");
    }

    @ParameterizedTest
    @EnumSource(DkimKeys.KeyType.class)
    void aTamperedSubjectFailsTheSignature(DkimKeys.KeyType type) {
        byte[] tampered = text(signed(type, MESSAGE, Duration.ZERO)).replace("Subject: Lunch", "Subject: Invoice").getBytes(StandardCharsets.UTF_8);
        assertThat(verify(type, tampered, NOW)).singleElement()
                .extracting(DkimResult::code, DkimResult::reason)
                .containsExactly(DkimResult.Code.FAIL, "signature did not verify: signed header fields were changed");
    }

    @Test
    void anAddedFromBreaksTheSignatureBecauseFromIsOverSigned() {
        byte[] content = signed(DkimKeys.KeyType.ED25519, MESSAGE, Duration.ZERO);
        assertThat(text(content)).contains("h=from:from:to:to:cc:subject:subject:date:date:message-id:message-id:mime-version:content-type:"
                + "content-transfer-encoding:reply-to:in-reply-to:references;");
        String spoofed = text(content).replace("Subject: Lunch\r\n", "Subject: Lunch\r\nFrom: ceo@example.org\r\n");
        assertThat(verify(DkimKeys.KeyType.ED25519, spoofed.getBytes(StandardCharsets.UTF_8), NOW))
                .extracting(DkimResult::code).containsExactly(DkimResult.Code.FAIL);
    }

    @Test
    void unsignedHeaderFieldsMayBeAdded() {
        String added = "Received: from relay\r\n" + text(signed(DkimKeys.KeyType.RSA_2048, MESSAGE, Duration.ZERO));
        assertThat(verify(DkimKeys.KeyType.RSA_2048, added.getBytes(StandardCharsets.UTF_8), NOW))
                .extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS);
    }

    @Test
    void anExpiredSignatureIsPermerror() {
        byte[] content = signed(DkimKeys.KeyType.ED25519, MESSAGE, Duration.ofDays(7));
        assertThat(verify(DkimKeys.KeyType.ED25519, content, NOW.plus(Duration.ofDays(6)))).extracting(DkimResult::code).containsExactly(DkimResult.Code.PASS);
        assertThat(verify(DkimKeys.KeyType.ED25519, content, NOW.plus(Duration.ofDays(8)))).singleElement()
                .extracting(DkimResult::code, DkimResult::reason).containsExactly(DkimResult.Code.PERMERROR, "signature expired (x=" + (NOW.getEpochSecond() + 7 * 86400) + ")");
    }

    @Test
    void aSignatureFromTheFutureIsPermerror() {
        byte[] content = signed(DkimKeys.KeyType.ED25519, MESSAGE, Duration.ZERO);
        assertThat(verify(DkimKeys.KeyType.ED25519, content, NOW.minusSeconds(3600))).singleElement()
                .extracting(DkimResult::code).isEqualTo(DkimResult.Code.PERMERROR);
    }

    @Test
    void bareLineFeedsAndCarriageReturnsAreRefused() {
        DkimSigner signer = new DkimSigner(Domain.of("example.org"), "s1", ED.getPrivate(), InstantSource.fixed(NOW), Duration.ZERO);
        assertThat(signer.sign("From: a@example.org\nSubject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SignResult.Refused("bare LF at octet 19: DKIM signs CRLF line ends only (RFC 6376 section 5.3)"));
        assertThat(signer.sign("From: a@example.org\r\n\r\nbo\rdy\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SignResult.Refused("bare CR at octet 25: DKIM signs CRLF line ends only (RFC 6376 section 5.3)"));
    }

    @Test
    void aMessageWithoutExactlyOneFromIsRefused() {
        DkimSigner signer = new DkimSigner(Domain.of("example.org"), "s1", ED.getPrivate(), InstantSource.fixed(NOW), Duration.ZERO);
        assertThat(signer.sign("Subject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new SignResult.Refused("the message has 0 From fields; DKIM signs exactly one (RFC 6376 section 5.4)"));
        assertThat(signer.sign("From: a@example.org\r\nFrom: b@example.org\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(SignResult.Refused.class);
    }

    @ParameterizedTest
    @EnumSource(DkimKeys.KeyType.class)
    void privateKeysSurviveAPemRoundTrip(DkimKeys.KeyType type) {
        String pem = DkimKeys.toPem(keys(type).getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
        assertThat(DkimKeys.fromPem(pem).getEncoded()).isEqualTo(keys(type).getPrivate().getEncoded());
    }

    @Test
    void brokenPemIsAClearError() {
        assertThatThrownBy(() -> DkimKeys.fromPem("hello")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a PKCS#8 PEM private key");
        assertThatThrownBy(() -> DkimKeys.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .hasMessage("the PEM private key is neither RSA nor Ed25519");
    }

    @Test
    void dnsRecordsToPublish() {
        assertThat(DkimKeys.dnsRecord(ED.getPublic())).matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=");
        assertThat(DkimKeys.dnsRecord(RSA.getPublic())).startsWith("v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA");
    }

    @Test
    void theGeneratedRsaKeyHas2048Bits() {
        assertThat(DkimKeys.rsaBits(RSA.getPublic())).isEqualTo(2048);
    }
}
