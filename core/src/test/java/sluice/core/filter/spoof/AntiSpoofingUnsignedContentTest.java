package sluice.core.filter.spoof;

import org.junit.jupiter.api.Test;
import sluice.core.filter.spoof.dmarc.DmarcResult;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A field prepended to a signed message must not ride on the signature into a DMARC pass. */
class AntiSpoofingUnsignedContentTest {

    @Test
    void aPrependedSubjectOnAReplayedSignedMessageFailsDmarc() {
        String signed = new String(AntiSpoofingTest.signedMessage(), StandardCharsets.US_ASCII);
        byte[] replayed = ("Subject: Your account is locked\r\nContent-Type: text/html\r\n" + signed).getBytes(StandardCharsets.US_ASCII);
        SpoofResults r = AntiSpoofingTest.spoofing(AntiSpoofingTest.zone()).check(AntiSpoofingTest.BAD_IP, "evil.test", "bounce@evil.test", replayed);
        assertThat(r.dmarc().code()).isEqualTo(DmarcResult.Code.FAIL);
        assertThat(r.dmarc().dkimAligned()).isFalse();
        assertThat(r.compauth()).isEqualTo(new CompositeAuthentication(CompositeAuthentication.Result.FAIL, "000"));
    }
}
