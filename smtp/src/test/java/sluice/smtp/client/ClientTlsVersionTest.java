package sluice.smtp.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import sluice.smtp.testing.TestCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client offers TLS 1.3 and 1.2 only, even where {@code java.security} enables TLS 1.1: the
 * server here speaks nothing newer. The JDK reads its disabled algorithms once per process, so
 * server and client run in a child JVM whose security properties enable TLS 1.0 and 1.1 again; a
 * plain JDK client in the same child reaching TLS 1.1 shows that the setting took.
 */
class ClientTlsVersionTest {

    /** The JDK's defaults without the entries that keep TLS 1.0 and 1.1 (and their SHA-1 signatures) out. */
    private static final String LEGACY_ENABLED = "jdk.tls.disabledAlgorithms=SSLv3, DTLSv1.0, RC4, DES, MD5withRSA, "
            + "DH keySize < 1024, EC keySize < 224, 3DES_EDE_CBC, anon, NULL, ECDH\n";

    @Test
    @Timeout(90)
    void aServerThatSpeaksOnlyTls11IsRefused(@TempDir Path dir) throws Exception {
        Path security = dir.resolve("legacy.security");
        Files.writeString(security, LEGACY_ENABLED);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = dir.resolve("child-stdout.log");
        Process child = new ProcessBuilder(java, "-Djava.security.properties=" + security, "-cp",
                System.getProperty("java.class.path"), Child.class.getName())
                .redirectOutput(out.toFile()).redirectError(dir.resolve("child-stderr.log").toFile()).start();
        // the child's output goes to files, so a child that hangs cannot hang this read: it is killed after the wait
        try {
            if (!child.waitFor(60, TimeUnit.SECONDS))
                throw new AssertionError("the child JVM did not finish within 60 s: " + Files.readString(out)
                        + Files.readString(dir.resolve("child-stderr.log")));
        } finally {
            if (child.isAlive()) child.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // also when @Timeout interrupts the wait
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.US_ASCII);
        assertThat(lines).as(Files.readString(dir.resolve("child-stderr.log")))
                .containsExactly("plain JDK client: TLSv1.1", "validating: refused", "any certificate: refused");
    }

    /** Runs in the child JVM: a TLS 1.1 server, then a plain JDK client and Sluice's two kinds of context. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            TestCertificates ca = TestCertificates.newCa("Legacy CA");
            SSLContext serverTls = ca.issue("legacy.test", "legacy.test").sslContext();
            X509TrustManager trust = (X509TrustManager) TestCertificates.trustManagers(ca.caCertificate())[0];
            try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
                Thread.ofVirtual().start(() -> serve(server, serverTls));
                InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
                System.out.println("plain JDK client: " + plainClient(address, ca));
                System.out.println("validating: " + sluiceClient(address, TlsContexts.validating(trust)));
                System.out.println("any certificate: " + sluiceClient(address, TlsContexts.anyCertificate()));
            }
        }

        private static String sluiceClient(InetSocketAddress address, SSLContext ctx) {
            try (SmtpConnection c = SmtpConnection.open(address, Timeouts.RFC_5321)) {
                c.ehlo("client.test");
                return c.startTls(ctx, "legacy.test").protocol();
            } catch (SmtpClientException e) {
                return "refused";
            }
        }

        private static String plainClient(InetSocketAddress address, TestCertificates ca) throws Exception {
            try (Socket tcp = new Socket(address.getAddress(), address.getPort())) {
                InputStream in = tcp.getInputStream();
                OutputStream out = tcp.getOutputStream();
                line(in);
                out.write("EHLO client.test\r\nSTARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                for (int i = 0; i < 3; i++) line(in); // 250-, 250 STARTTLS, 220
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, TestCertificates.trustManagers(ca.caCertificate()), null);
                try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(tcp, "legacy.test", address.getPort(), true)) {
                    tls.setEnabledProtocols(new String[]{"TLSv1.1"});
                    tls.startHandshake();
                    return tls.getSession().getProtocol();
                }
            }
        }

        private static void serve(ServerSocket server, SSLContext tls) {
            while (true) {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    OutputStream out = s.getOutputStream();
                    out.write("220 legacy.test ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    line(in);
                    out.write("250-legacy.test\r\n250 STARTTLS\r\n".getBytes(StandardCharsets.US_ASCII));
                    line(in);
                    out.write("220 2.0.0 go ahead\r\n".getBytes(StandardCharsets.US_ASCII));
                    SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, null, s.getPort(), true);
                    ssl.setUseClientMode(false);
                    ssl.setEnabledProtocols(new String[]{"TLSv1.1"});
                    ssl.startHandshake();
                    ssl.close();
                } catch (IOException e) {
                    if (server.isClosed()) return; // else: the client refused the handshake; take the next one
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) >= 0 && c != '\n'; ) b.append((char) c);
            return b.toString();
        }
    }
}
