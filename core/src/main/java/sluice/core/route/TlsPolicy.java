package sluice.core.route;

import sluice.core.mail.Domain;

/**
 * What TLS a delivery requires of the next hop. Anything stronger than {@link Opportunistic} is
 * never downgraded: if it cannot be met the recipient is deferred with the TLS failure as reason.
 */
public sealed interface TlsPolicy permits TlsPolicy.Opportunistic, TlsPolicy.EncryptionOnly,
        TlsPolicy.CertificateValidation, TlsPolicy.DomainValidation {

    /** STARTTLS when offered, any certificate; plaintext when not offered or the handshake fails. */
    record Opportunistic() implements TlsPolicy {}

    /** STARTTLS required, any certificate. */
    record EncryptionOnly() implements TlsPolicy {}

    /** STARTTLS required, the chain must validate against the trust store. */
    record CertificateValidation() implements TlsPolicy {}

    /** STARTTLS required, the chain must validate and the certificate must name {@code tlsDomain} (wildcards per RFC 6125). */
    record DomainValidation(Domain tlsDomain) implements TlsPolicy {}

    TlsPolicy OPPORTUNISTIC = new Opportunistic();

    /** The policy an outbound connector's TLS settings ask for. */
    static TlsPolicy of(sluice.core.connector.OutboundConnector c) {
        return switch (c.tlsSettings()) {
            case NONE -> OPPORTUNISTIC;
            case ENCRYPTION_ONLY -> new EncryptionOnly();
            case CERTIFICATE_VALIDATION -> new CertificateValidation();
            case DOMAIN_VALIDATION -> new DomainValidation(c.tlsDomain());
        };
    }
}
