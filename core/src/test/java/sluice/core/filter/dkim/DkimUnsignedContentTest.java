package sluice.core.filter.dkim;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.MapDns;
import sluice.core.mail.Domain;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A signature that verifies but leaves content unsigned that a reader sees (RFC 6376 section 8.2 for
 * l=, section 8.15 for extra header fields) is dkim=policy: it proves nothing about what is shown.
 */
class DkimUnsignedContentTest {

    static final String PLAIN = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: Lunch\r\n"
            + "Date: Mon, 1 Jan 2024 10:00:00 +0000\r\nMessage-ID: <1@example.org>\r\n\r\nShall we?\r\n";

    /** Signs with h= as given, so the test can play a signer that does not over-sign. */
    static String signedWith(List<String> h, String message) throws Exception {
        MessageText m = MessageText.parse(message.getBytes(StandardCharsets.US_ASCII));
        byte[] bh = DkimCrypto.digest(DkimAlgorithm.ED25519_SHA256, Canonicalization.RELAXED.body(m.body()));
        String field = "DKIM-Signature: v=1; a=ed25519-sha256; c=relaxed/relaxed; d=example.org; s=s1; h=" + String.join(":", h)
                + "; bh=" + Base64.getEncoder().encodeToString(bh) + "; b=";
        byte[] data = DkimCrypto.headerData(m, h, Canonicalization.RELAXED, field);
        byte[] sig = DkimCrypto.sign(DkimAlgorithm.ED25519_SHA256, DkimRoundTripTest.ED.getPrivate(), data);
        return field + Base64.getEncoder().encodeToString(sig) + "\r\n" + message;
    }

    static DkimResult verify(String content) {
        MapDns dns = new MapDns().txt("s1._domainkey.example.org", DkimKeys.dnsRecord(DkimRoundTripTest.ED.getPublic()));
        return new DkimVerifier(dns, InstantSource.fixed(DkimRoundTripTest.NOW)).verify(content.getBytes(StandardCharsets.ISO_8859_1)).getFirst();
    }

    static DkimSigner signer() {
        return new DkimSigner(Domain.of("example.org"), "s1", DkimRoundTripTest.ED.getPrivate(), InstantSource.fixed(DkimRoundTripTest.NOW), Duration.ZERO);
    }

    @Test
    void aSubjectAndContentTypePrependedToOurOwnSignatureAreNotAPass() {
        String signed = new String(((SignResult.Signed) signer().sign(PLAIN.getBytes(StandardCharsets.US_ASCII))).content(), StandardCharsets.US_ASCII);
        assertThat(verify(signed).strongPass()).isTrue();
        DkimResult r = verify("Subject: Your account is locked\r\nContent-Type: text/html\r\n" + signed);
        assertThat(r.code()).isEqualTo(DkimResult.Code.FAIL);
        assertThat(r.strongPass()).isFalse();
    }

    @Test
    void ourSignerOverSignsTheFieldsAReaderSees() {
        String message = "From: a@example.org\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nbody\r\n";
        SignResult.Signed s = (SignResult.Signed) signer().sign(message.getBytes(StandardCharsets.US_ASCII));
        assertThat(s.field()).contains("h=from:from:to:cc:subject:subject:date:message-id:mime-version:mime-version:content-type:content-type:"
                + "content-transfer-encoding:reply-to:in-reply-to:references;");
        String content = new String(s.content(), StandardCharsets.US_ASCII);
        assertThat(verify(content).code()).isEqualTo(DkimResult.Code.PASS);
        String added = content.replace("Subject: x\r\n", "Subject: x\r\nReply-To: evil@evil.test\r\n");
        assertThat(verify(added).code()).isEqualTo(DkimResult.Code.FAIL);
    }

    @Test
    void aSignedFieldWithAnUnsignedExtraInstanceIsPolicy() throws Exception {
        String signed = signedWith(List.of("from", "to", "subject", "date", "message-id"), PLAIN);
        assertThat(verify(signed).code()).isEqualTo(DkimResult.Code.PASS);
        DkimResult r = verify("Subject: Your account is locked\r\n" + signed);
        assertThat(r).extracting(DkimResult::code, DkimResult::reason).containsExactly(DkimResult.Code.POLICY,
                "the message has 2 Subject fields but h= signs 1: an unsigned one may be what the reader sees (RFC 6376 section 8.15)");
        assertThat(r.strongPass()).isFalse();
    }

    @Test
    void anUnsignedExtraReceivedFieldIsNoProblem() throws Exception {
        String signed = signedWith(List.of("from", "received", "subject"), "Received: from a\r\n" + PLAIN);
        assertThat(verify("Received: from b\r\n" + signed).code()).isEqualTo(DkimResult.Code.PASS);
    }

    @Test
    void aBodyLengthLimitThatLeavesTextUnsignedIsPolicy() throws Exception {
        String signed = DkimMalformedInputTest.handSigned(DkimRoundTripTest.ED, DkimAlgorithm.ED25519_SHA256, "relaxed/relaxed", "", 7);
        assertThat(verify(signed).code()).isEqualTo(DkimResult.Code.PASS);
        DkimResult r = verify(signed + "Appended by a spammer\r\n");
        assertThat(r).extracting(DkimResult::code, DkimResult::reason).containsExactly(DkimResult.Code.POLICY,
                "l=7 leaves 23 body octets unsigned: content may have been appended (RFC 6376 section 8.2)");
        assertThat(r.strongPass()).isFalse();
    }
}
