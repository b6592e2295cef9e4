package sluice.core.quarantine;

import org.junit.jupiter.api.Test;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.filter.dkim.DkimSigner;
import sluice.core.filter.dkim.SignResult;
import sluice.core.mail.Domain;
import sluice.core.org.DkimSigningKey;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseSigningTest {

    private static final KeyPair PAIR = DkimKeys.generate(DkimKeys.KeyType.ED25519);

    /**
     * A review found every stored key of the organization tried on a released copy, the message parsed and up to ten
     * signatures checked for each: only the keys the topmost signature's d= and s= name can verify it.
     */
    @Test
    void onlyTheKeysTheTopmostSignatureNamesAreTried() {
        DkimSigningKey s1 = key("1", "contoso.example", "s1");
        DkimSigningKey recreated = key("2", "Contoso.Example", "s1");
        List<DkimSigningKey> stored = List.of(key("3", "contoso.example", "s2"), s1, key("4", "fabrikam.example", "s1"), recreated);
        byte[] inner = signed("fabrikam.example", "s1", "From: Bob <bob@contoso.example>\r\nSubject: x\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] twice = signed("contoso.example", "s1", inner);

        assertThat(ReleaseSigning.candidates(stored, twice)).as("the topmost signature's, not a lower one's").containsExactly(s1, recreated);
        assertThat(ReleaseSigning.candidates(stored, inner)).extracting(DkimSigningKey::id).containsExactly("4");
        assertThat(ReleaseSigning.candidates(stored, "From: a@contoso.example\r\n\r\nx\r\n".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(ReleaseSigning.candidates(stored, "DKIM-Signature: v=1; d=contoso.example\r\nFrom: a@contoso.example\r\n\r\nx\r\n"
                .getBytes(StandardCharsets.US_ASCII))).as("no s=").isEmpty();
    }

    private static byte[] signed(String domain, String selector, byte[] message) {
        var result = new DkimSigner(Domain.of(domain), selector, PAIR.getPrivate(), InstantSource.system(), Duration.ZERO).sign(message);
        return ((SignResult.Signed) result).content();
    }

    private static DkimSigningKey key(String id, String domain, String selector) {
        return new DkimSigningKey(id, "org", Domain.of(domain), selector, "ED25519", DkimKeys.toPem(PAIR.getPrivate()),
                DkimKeys.dnsRecord(PAIR.getPublic()), true, Instant.EPOCH);
    }
}
