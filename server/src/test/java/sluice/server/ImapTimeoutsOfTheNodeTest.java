package sluice.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code imap.loginDeadline} reaches the node's IMAP listener: a client that connects and never logs in
 * is told BYE and closed once it passes, long before the 2 minute default (the read below would time
 * out first, after 30 seconds, were the setting not applied).
 */
class ImapTimeoutsOfTheNodeTest {

    @TempDir
    Path dataDir;

    @Test
    void aClientThatNeverLogsInIsClosedAtTheConfiguredLoginDeadline() throws Exception {
        NodeConfig config = TestNodes.config(dataDir, null, 9, Map.of())
                .withImap(new NodeConfig.Listener("127.0.0.1", 0), null)
                .withImapTimeouts(new NodeConfig.ImapTimeouts(Duration.ofSeconds(1), Duration.ofMinutes(5)));
        try (Node node = Node.start(config); Socket s = new Socket("127.0.0.1", node.imapPort())) {
            s.setSoTimeout(30_000);
            var in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("* OK");
            assertThat(in.readLine()).startsWith("* BYE").contains("without logging in");
            assertThat(in.readLine()).isNull();
        }
    }
}
