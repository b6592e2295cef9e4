package sluice.core.receive;

import org.junit.jupiter.api.Test;
import sluice.core.filter.dkim.DkimKeys;
import sluice.core.mail.Domain;
import sluice.core.org.DkimSigningKey;
import sluice.core.testing.MemoryDkimKeys;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.time.InstantSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A domain moved from one organization to another, and the former owner still has an enabled key for
 * it, newer than the new owner's (left from before keys went with their domain, or enabled in a race).
 * The new owner's mail is signed with its own key all the same: a key of another organization is
 * never the one that decides whether an organization's mail is signed.
 */
class DkimSigningKeyOfAnotherOrganizationTest {

    private static final Domain CONTOSO = Domain.of("contoso.example");
    private static final byte[] MESSAGE = ("From: Bob <bob@contoso.example>\r\nTo: partner@outside.example\r\n"
            + "Subject: contract\r\n\r\nsigned\r\n").getBytes(StandardCharsets.US_ASCII);

    private final MemoryDkimKeys keys = new MemoryDkimKeys();
    private final DkimSigning signing = new DkimSigning(keys, InstantSource.system());

    private void key(String organizationId, String selector, Instant created) {
        KeyPair pair = DkimKeys.generate(DkimKeys.KeyType.ED25519);
        keys.create(new DkimSigningKey("", organizationId, CONTOSO, selector, "ED25519", DkimKeys.toPem(pair.getPrivate()),
                DkimKeys.dnsRecord(pair.getPublic()), true, created));
    }

    @Test
    void theNewOwnersMailIsSignedWithItsOwnKeyWhileTheFormerOwnersNewerKeyIsEnabled() {
        key("new-owner", "fabrikam1", Instant.parse("2026-11-01T00:00:00Z"));
        key("former-owner", "squatted", Instant.parse("2026-11-20T00:00:00Z"));

        String signed = new String(signing.sign("new-owner", MESSAGE), StandardCharsets.US_ASCII);

        assertThat(signed).startsWith("DKIM-Signature: ").contains("d=contoso.example; s=fabrikam1;").doesNotContain("s=squatted");
    }

    @Test
    void anOrganizationWithoutAKeyOfItsOwnSendsUnsignedEvenWhenAnotherOrganizationHasOne() {
        key("former-owner", "squatted", Instant.parse("2026-11-20T00:00:00Z"));

        assertThat(signing.sign("new-owner", MESSAGE)).isEqualTo(MESSAGE);
    }
}
