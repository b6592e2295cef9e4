package sluice.core.deliver.remote;

import sluice.core.connector.OutboundConnector.HostReport;
import sluice.core.route.TlsPolicy;
import sluice.smtp.Reply;
import sluice.smtp.TlsInfo;
import sluice.smtp.client.Capabilities;
import sluice.smtp.client.ServiceIdentity;
import sluice.smtp.client.SmtpClientException;
import sluice.smtp.client.SmtpConnection;
import sluice.smtp.client.TransactionResult;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks one next hop of a connector the way a delivery would reach it ({@link SecureConnector}: the
 * same EHLO, STARTTLS and certificate checks), writing down each step for the administrator, and
 * optionally sends the test message through it. The addresses of the host are tried in order until
 * one passes, as a delivery would.
 */
final class HostCheck {

    private static final Duration QUIT_WAIT = Duration.ofSeconds(2);

    private final SecureConnector connector;

    HostCheck(SecureConnector connector) {
        this.connector = connector;
    }

    /** @param testMessage sent through this host when not null; null when there is none or it went elsewhere */
    HostReport run(String host, List<Target> addresses, TlsPolicy policy, String requiredBy, Envelope testMessage) {
        List<String> steps = new ArrayList<>();
        String error = "no address to try";
        for (Target t : addresses) {
            steps.add("connecting to " + t.display());
            SmtpConnection c;
            try {
                c = connector.open(t, policy, requiredBy);
            } catch (TlsFailure f) {
                steps.add("STARTTLS failed: " + f.getMessage());
                error = f.getMessage();
                continue;
            } catch (SmtpClientException e) {
                String why = PeerText.shown(e); // no banner of a non-SMTP service
                steps.add(why);
                error = t.display() + ": " + why;
                continue;
            }
            try {
                describe(c, policy, steps);
                if (testMessage == null) return new HostReport(host, true, steps, null);
                return send(host, c, testMessage, steps);
            } finally {
                c.quit(QUIT_WAIT);
            }
        }
        return new HostReport(host, false, steps, error);
    }

    private static void describe(SmtpConnection c, TlsPolicy policy, List<String> steps) {
        steps.add("greeting: " + PeerText.shown(c.greeting()));
        TlsInfo tls = c.tls();
        if (tls == null) {
            steps.add("EHLO: 250, extensions " + extensions(c.capabilities()));
            steps.add("no TLS: the server did not offer STARTTLS or the handshake failed; tlsSettings allow plaintext");
            return;
        }
        steps.add("STARTTLS: " + tls.protocol() + " " + tls.cipherSuite());
        certificate(c.peerCertificates(), policy, steps);
        // What the server offers inside TLS is what delivery uses (RFC 3207 section 4.2).
        steps.add("EHLO after STARTTLS: 250, extensions " + extensions(c.capabilities()));
    }

    private static void certificate(List<X509Certificate> chain, TlsPolicy policy, List<String> steps) {
        if (chain.isEmpty()) return;
        X509Certificate cert = chain.getFirst();
        List<String> names = ServiceIdentity.names(cert);
        String what = "certificate: " + cert.getSubjectX500Principal().getName() + ", issued by "
                + cert.getIssuerX500Principal().getName() + ", names " + (names.isEmpty() ? "none usable" : String.join(", ", names))
                + ", valid until " + cert.getNotAfter().toInstant();
        steps.add(what + switch (policy) {
            case TlsPolicy.Opportunistic o -> "; not validated (tlsSettings: none)";
            case TlsPolicy.EncryptionOnly e -> "; not validated (tlsSettings: EncryptionOnly)";
            case TlsPolicy.CertificateValidation v -> "; chain trusted";
            case TlsPolicy.DomainValidation d -> "; chain trusted and valid for " + d.tlsDomain();
        });
    }

    private static HostReport send(String host, SmtpConnection c, Envelope m, List<String> steps) {
        try {
            TransactionResult r = c.send(m.mail(), m.rcpts(), m.content());
            List<String> refused = new ArrayList<>();
            if (!r.mail().isPositive()) refused.add("MAIL FROM " + m.mail().reversePath() + ": " + PeerText.shown(r.mail()));
            for (int i = 0; i < m.rcpts().size(); i++) {
                Reply reply = r.rcpt().isEmpty() ? null : r.rcpt().get(i);
                if (reply != null && !reply.isPositive()) refused.add("RCPT TO " + m.rcpts().get(i).forwardPath() + ": " + PeerText.shown(reply));
            }
            if (refused.isEmpty() && r.data() != null && r.data().isPositive()) {
                steps.add("test message accepted: " + PeerText.shown(r.data()));
                return new HostReport(host, true, steps, null);
            }
            if (r.data() != null && !r.data().isPositive()) refused.add("DATA: " + PeerText.shown(r.data()));
            String error = "the test message was refused: " + String.join("; ", refused);
            steps.add(error);
            return new HostReport(host, false, steps, error);
        } catch (SmtpClientException e) {
            String error = "sending the test message failed: " + PeerText.shown(e);
            steps.add(error);
            return new HostReport(host, false, steps, error);
        }
    }

    private static String extensions(Capabilities caps) {
        return PeerText.keywords(caps);
    }
}
