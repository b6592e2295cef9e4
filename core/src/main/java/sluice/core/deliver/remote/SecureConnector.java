package sluice.core.deliver.remote;

import sluice.core.connector.CertificateNames;
import sluice.core.route.TlsPolicy;
import sluice.smtp.client.SmtpClientException;
import sluice.smtp.client.SmtpConnection;
import sluice.smtp.client.ServiceIdentity;
import sluice.smtp.client.Timeouts;
import sluice.smtp.client.TlsContexts;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Opens a connection ready for mail: greeting, EHLO, and STARTTLS as the {@link TlsPolicy} demands
 * (RFC 3207). Opportunistic TLS falls back to plaintext (on a new connection when the handshake
 * failed, RFC 7435 section 3); every stronger policy fails with a {@link TlsFailure} instead.
 */
final class SecureConnector {

    private static final Duration QUIT_WAIT = Duration.ofSeconds(2);

    private final String heloName;
    private final Timeouts timeouts;
    private final SSLContext anyCertificate;
    private final SSLContext validating;

    SecureConnector(String heloName, Timeouts timeouts, X509TrustManager trust, List<KeyManager> clientKeys) {
        this.heloName = heloName;
        this.timeouts = timeouts;
        KeyManager[] keys = clientKeys.isEmpty() ? null : clientKeys.toArray(KeyManager[]::new);
        this.anyCertificate = TlsContexts.anyCertificate(keys);
        this.validating = TlsContexts.validating(trust, keys);
    }

    /** @param requiredBy who demands the policy, for the reason text ("connector Partner A", "mail to example.com") */
    SmtpConnection open(Target t, TlsPolicy policy, String requiredBy) throws SmtpClientException, TlsFailure {
        SmtpConnection c = SmtpConnection.open(t.address(), timeouts);
        try {
            if (!c.ehlo(heloName).startTls()) {
                if (policy instanceof TlsPolicy.Opportunistic) return c;
                throw required(policy, requiredBy, "4.7.4", t.display() + " did not offer STARTTLS");
            }
            try {
                c.startTls(policy instanceof TlsPolicy.Opportunistic || policy instanceof TlsPolicy.EncryptionOnly
                        ? anyCertificate : validating, t.hostIsLiteral() ? null : t.host());
            } catch (SmtpClientException e) {
                if (!(policy instanceof TlsPolicy.Opportunistic))
                    throw required(policy, requiredBy, "4.7.5", handshakeProblem(t, e));
                if (e.reply() != null) return c; // STARTTLS refused: the session goes on in plaintext
                c.close();
                c = SmtpConnection.open(t.address(), timeouts);
                c.ehlo(heloName);
                return c;
            }
            if (policy instanceof TlsPolicy.DomainValidation dv) checkName(c, t, dv, requiredBy);
            c.ehlo(heloName); // RFC 3207 section 4.2: forget what was learned before TLS
            return c;
        } catch (SmtpClientException | TlsFailure | RuntimeException e) {
            c.quit(QUIT_WAIT);
            throw e;
        }
    }

    private void checkName(SmtpConnection c, Target t, TlsPolicy.DomainValidation dv, String requiredBy) throws TlsFailure {
        List<X509Certificate> chain = c.peerCertificates();
        String wanted = dv.tlsDomain().name();
        if (chain.isEmpty() || !ServiceIdentity.matches(chain.getFirst(), wanted, CertificateNames::isPublicSuffix)) {
            List<String> names = chain.isEmpty() ? List.of() : ServiceIdentity.names(chain.getFirst());
            throw required(dv, requiredBy, "4.7.5", "the certificate of " + t.display() + " is not valid for "
                    + wanted + " (it names " + (names.isEmpty() ? "nothing" : String.join(", ", names)) + ")");
        }
    }

    /**
     * Why STARTTLS failed, as traces, notices and validation reports may show it: a reply only through
     * {@link PeerText#shown(sluice.smtp.Reply)}, a failure of the connection or the handshake by the JDK's words,
     * anything else the peer sent as no SMTP answer at all, without its bytes.
     */
    private static String handshakeProblem(Target t, SmtpClientException e) {
        if (e.reply() != null) return t.display() + " refused STARTTLS: " + PeerText.shown(e.reply());
        Throwable root = e;
        boolean certificate = false;
        boolean transport = false;
        for (Throwable x = e.getCause(); x != null; x = x.getCause()) {
            if (x instanceof CertificateException) certificate = true;
            transport |= PeerText.isTransport(x);
            root = x;
        }
        if (!certificate && !transport) return t.display() + " did not answer STARTTLS as an SMTP server";
        String why = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return certificate
                ? "the certificate of " + t.display() + " could not be validated: " + why
                : "the TLS handshake with " + t.display() + " failed: " + why;
    }

    private static TlsFailure required(TlsPolicy policy, String requiredBy, String status, String problem) {
        String level = switch (policy) {
            case TlsPolicy.Opportunistic o -> "TLS";
            case TlsPolicy.EncryptionOnly e -> "TLS (EncryptionOnly)";
            case TlsPolicy.CertificateValidation v -> "TLS (CertificateValidation)";
            case TlsPolicy.DomainValidation d -> "TLS (DomainValidation for " + d.tlsDomain() + ")";
        };
        String reason = level + " required by " + requiredBy + " but " + problem;
        return new TlsFailure("451 " + status + " " + reason, reason);
    }
}
