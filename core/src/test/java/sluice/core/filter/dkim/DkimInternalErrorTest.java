package sluice.core.filter.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A defect while checking a signature is a temporary error naming a reference, never the exception's text. */
class DkimInternalErrorTest {

    /** A clock that fails as a defect would, with text that must not reach the result. */
    private static final InstantSource BROKEN = new InstantSource() {
        @Override
        public Instant instant() {
            throw new IllegalStateException("secret state of the node: /var/lib/sluice/keys");
        }
    };

    @Test
    void anUnexpectedExceptionIsATemporaryErrorWithAReference() throws Exception {
        String message = DkimMalformedInputTest.handSigned(DkimMalformedInputTest.RSA, DkimAlgorithm.RSA_SHA256, "relaxed/relaxed", "", -1);
        DkimResult r = new DkimVerifier(DkimMalformedInputTest.withKey(DkimKeys.dnsRecord(DkimMalformedInputTest.RSA.getPublic())), BROKEN)
                .verify(message.getBytes(StandardCharsets.ISO_8859_1)).getFirst();
        assertThat(r.code()).isEqualTo(DkimResult.Code.TEMPERROR);
        assertThat(r.reason()).matches("internal error \\(reference [0-9a-f]{8}\\)").doesNotContain("secret");
    }
}
