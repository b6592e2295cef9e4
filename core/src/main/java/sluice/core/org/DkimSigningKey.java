package sluice.core.org;

import sluice.core.mail.Domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A DKIM signing key of an accepted domain. The private key never leaves the node: the API shows
 * the selector and the TXT record to publish at {@code selector._domainkey.domain}, nothing more.
 *
 * @param keyType       "RSA_2048" or "ED25519"
 * @param privateKeyPem PKCS#8 PEM; a secret, never logged or returned
 * @param dnsRecord     the TXT value to publish ("v=DKIM1; k=rsa; p=...")
 */
public record DkimSigningKey(String id, String organizationId, Domain domain, String selector, String keyType,
                             String privateKeyPem, String dnsRecord, boolean enabled, Instant createdAt) {

    public DkimSigningKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organizationId, "organizationId");
        Objects.requireNonNull(domain, "domain");
        if (selector == null || !selector.matches("[a-z0-9][a-z0-9-]{0,62}"))
            throw new IllegalArgumentException("a selector is a DNS label of lower-case letters, digits and '-'");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        Objects.requireNonNull(dnsRecord, "dnsRecord");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Where the record goes: {@code selector._domainkey.domain}. */
    public String dnsName() {
        return selector + "._domainkey." + domain.name();
    }

    public DkimSigningKey withEnabled(boolean on) {
        return new DkimSigningKey(id, organizationId, domain, selector, keyType, privateKeyPem, dnsRecord, on, createdAt);
    }

    @Override
    public String toString() {
        return "DkimSigningKey[" + dnsName() + ", " + keyType + (enabled ? ", enabled" : ", disabled") + "]";
    }
}
