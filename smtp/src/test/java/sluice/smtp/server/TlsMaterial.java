package sluice.smtp.server;

import sluice.smtp.testing.TestCertificates;

import javax.net.ssl.SSLContext;
import java.security.GeneralSecurityException;

/** Certificates for TLS tests: the server's identity, clients with and without certificates. */
final class TlsMaterial {
    static final TestCertificates CA = TestCertificates.newCa("Sluice Test CA");
    static final TestCertificates.Identity SERVER = CA.issue(ServerFixture.HOST, ServerFixture.HOST);
    static final SSLContext SERVER_CONTEXT = ServerTlsContext.of(SERVER.key(), SERVER.chain());

    private TlsMaterial() {
    }

    /** A client that trusts the test CA and presents no certificate. */
    static SSLContext anonymousClient() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, TestCertificates.trustManagers(CA.caCertificate()), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
