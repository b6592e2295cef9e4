package sluice.smtp.server;

import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Starts servers on an ephemeral loopback port with a {@link RecordingHandler}; closes them after each test. */
abstract class ServerFixture {

    static final String HOST = "mx.sluice.test";

    final RecordingHandler handler = new RecordingHandler();
    private final List<SmtpServer> servers = new ArrayList<>();
    private final List<RawClient> clients = new ArrayList<>();

    /**
     * Test defaults: short timeouts so a hanging test fails fast, error replies without the slow-down
     * (tests of it set errorDelay), everything else as in production.
     */
    SmtpServerConfig.Builder defaults() {
        return SmtpServerConfig.builder(HOST).commandTimeout(Duration.ofSeconds(10)).dataTimeout(Duration.ofSeconds(10))
                .errorDelay(Duration.ZERO);
    }

    SmtpServer start() throws IOException {
        return start(b -> b);
    }

    SmtpServer start(UnaryOperator<SmtpServerConfig.Builder> config) throws IOException {
        return start(BufferBudget.quarterOfHeap(), config);
    }

    SmtpServer start(BufferBudget budget, UnaryOperator<SmtpServerConfig.Builder> config) throws IOException {
        SmtpServer server = new SmtpServer(config.apply(defaults()).build(), handler, budget).start();
        servers.add(server);
        return server;
    }

    RawClient client(SmtpServer server) throws IOException {
        return track(RawClient.greeted(server.port()));
    }

    /** A greeted client that already said EHLO. */
    RawClient ehloClient(SmtpServer server) throws IOException {
        RawClient c = client(server);
        c.send("EHLO client.test\r\n");
        org.assertj.core.api.Assertions.assertThat(c.replyLines().getLast()).startsWith("250 ");
        return c;
    }

    RawClient track(RawClient c) {
        clients.add(c);
        return c;
    }

    @AfterEach
    void closeAll() throws IOException {
        for (RawClient c : clients) c.close();
        for (SmtpServer s : servers) s.close();
    }
}
