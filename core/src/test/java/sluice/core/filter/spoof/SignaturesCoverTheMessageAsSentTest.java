package sluice.core.filter.spoof;

import org.junit.jupiter.api.Test;
import sluice.core.filter.Facts;
import sluice.core.filter.Findings;
import sluice.core.filter.Inspection;
import sluice.core.filter.dkim.DkimSigner;
import sluice.core.filter.dkim.SignResult;
import sluice.core.mail.Address;
import sluice.core.mail.Domain;
import sluice.core.mail.Headers;
import sluice.core.mail.QueuedMessage;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receiving puts the missing empty line where a header broke off (as Postfix does), which changes the body a
 * DKIM signature covers; the sender's signature is checked against the message as the sender wrote it.
 */
class SignaturesCoverTheMessageAsSentTest {

    @Test
    void aSignedMessageWhoseHeaderBreaksOffStillPassesDkimAndDmarc() {
        String broken = "From: Alice <alice@example.org>\r\nTo: bob@example.net\r\nSubject: =?UTF-8?B?SGVsbG8=?=\r\n"
                + "=?UTF-8?B?V29ybGQ=?=\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nShall we?\r\n";
        DkimSigner signer = new DkimSigner(Domain.of("example.org"), "s1", AntiSpoofingTest.KEYS.getPrivate(),
                InstantSource.fixed(AntiSpoofingTest.NOW), Duration.ZERO);
        byte[] asSent = ((SignResult.Signed) signer.sign(broken.getBytes(StandardCharsets.US_ASCII))).content();
        byte[] repaired = Headers.withSeparator(asSent);
        assertThat(repaired).isNotEqualTo(asSent);

        assertThat(dmarc(repaired, repaired)).as("checked as repaired, the signature breaks").isNotEqualTo("pass");
        assertThat(dmarc(repaired, asSent)).isEqualTo("pass");
    }

    private static String dmarc(byte[] content, byte[] asSigned) {
        var stage = new SpoofStage(AntiSpoofingTest.spoofing(AntiSpoofingTest.zone()), "mx.test");
        Findings findings = new Findings();
        stage.inspect(new Inspection("org", false, QueuedMessage.Origin.INTERNET, AntiSpoofingTest.GOOD_IP, AntiSpoofingTest.GOOD_IP,
                "mx.other.example", false, "list-bounces@other.example", List.of(Address.parse("bob@example.net")), content, asSigned), findings);
        return findings.fact(Facts.Authentication.class).orElseThrow().dmarc();
    }
}
