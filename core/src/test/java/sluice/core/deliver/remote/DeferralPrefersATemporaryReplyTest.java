package sluice.core.deliver.remote;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sluice.core.deliver.Outcome;
import sluice.core.dns.DnsStub;
import sluice.core.mail.HostPort;
import sluice.core.mail.QueuedMessage;
import sluice.core.route.Route;
import sluice.core.route.TlsPolicy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static sluice.core.deliver.remote.RemoteFixture.message;
import static sluice.core.deliver.remote.RemoteFixture.rcpts;

/**
 * The first host answers 451 at its greeting, the second 554: the recipient is deferred (not every host refused
 * it for good), and the deferral carries the temporary reply. Carrying the 554 made the recipient's last reply a
 * 5xx while it was still being tried, and its delay notice said "delayed" with a 5.x.x status.
 */
class DeferralPrefersATemporaryReplyTest {

    private DnsStub dns;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() {
        dns = DnsStub.start("127.0.0.1");
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        dns.close();
    }

    /** A server that greets every connection with {@code greeting} and answers anything else 221, closing. */
    private ServerSocket greeting(String address, String greeting) throws Exception {
        ServerSocket server = new ServerSocket(0, 10, InetAddress.getByName(address));
        threads.submit(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write((greeting + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine() != null) {
                        out.write("221 2.0.0 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            return null;
        });
        return server;
    }

    @Test
    void theTemporaryReplyWinsOverALaterPermanentOne() throws Exception {
        try (ServerSocket later = greeting("127.0.0.78", "451 4.3.2 Not now");
             ServerSocket never = greeting("127.0.0.79", "554 5.7.1 Go away");
             var d = new SmtpRemoteDelivery(RemoteFixture.resolver(dns), RemoteFixture.options(25))) {
            QueuedMessage m = message("alice@sender.test", "x\r\n");
            var route = new Route.ToSmartHost(List.of(HostPort.parse("127.0.0.78:" + later.getLocalPort()),
                    HostPort.parse("127.0.0.79:" + never.getLocalPort())), TlsPolicy.OPPORTUNISTIC, "Relay", true, false);

            Outcome o = d.deliver(route, m, rcpts(m, "carol@remote.example")).getFirst();

            assertThat(o).isInstanceOfSatisfying(Outcome.Deferred.class, deferred -> {
                assertThat(deferred.reply()).isEqualTo("451 4.3.2 Not now");
                assertThat(deferred.notAttempted()).isFalse();
                assertThat(deferred.detail()).contains("554 5.7.1 Go away");
            });
        }
    }
}
