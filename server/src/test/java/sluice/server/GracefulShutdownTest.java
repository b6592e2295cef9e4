package sluice.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sluice.smtp.Reply;
import sluice.smtp.testing.SinkMessage;
import sluice.smtp.testing.SmtpSink;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ctrl-C while a client is in the middle of DATA: the node stops accepting connections at once but
 * lets the transaction finish with 250, and the message, still queued because the smart host
 * refuses it, is delivered by the next start on the same data directory.
 */
class GracefulShutdownTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    private SmtpSink onPremises;
    private Node node;

    @AfterEach
    void cleanUp() {
        if (node != null) node.close();
        if (onPremises != null) onPremises.close();
    }

    @Test
    void transactionInDataCompletesDuringShutdownAndIsDeliveredAfterRestart() throws Exception {
        onPremises = SmtpSink.on("127.0.0.5").start().replyToMail(Reply.of(451, "4.3.0", "Not now"));
        NodeConfig config = TestNodes.config(dataDir, null, 25, Map.of("onprem.example", List.of(onPremises.hostPort())));
        node = Node.start(config);
        Admin admin = TestNodes.admin(node);
        admin.createDomain(admin.createOrganization("Contoso"), "onprem.example", "InternalRelay");

        String subject = "written across a shutdown " + UUID.randomUUID();
        byte[] content = ("From: <ann@tailspin.example>\r\nTo: <bo@onprem.example>\r\nSubject: " + subject
                + "\r\n\r\nfirst half\r\n.second half, dot-stuffed\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] stuffed = SmtpTalk.dotStuffed(content);
        int split = stuffed.length / 2;
        int port = node.smtpPort();

        CompletableFuture<Void> closed;
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", port)) {
            c.ehlo("mail.tailspin.example");
            assertThat(c.cmd("MAIL FROM:<ann@tailspin.example>")).isEqualTo("250 2.1.0 Sender OK");
            assertThat(c.cmd("RCPT TO:<bo@onprem.example>")).isEqualTo("250 2.1.5 Recipient OK");
            assertThat(c.cmd("DATA")).startsWith("354 ");
            c.write(Arrays.copyOfRange(stuffed, 0, split));

            Node stopping = node;
            closed = CompletableFuture.runAsync(stopping::close);
            Poll.until(WAIT, "the listener to stop accepting", () -> refused(port), r -> r);
            assertThat(closed).as("close() waits for the transaction in progress").isNotDone();

            c.write(Arrays.copyOfRange(stuffed, split, stuffed.length));
            c.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(c.reply()).matches("250 2\\.0\\.0 Ok: queued as \\S+");
            assertThat(c.reply()).isEqualTo("421 4.3.2 " + TestNodes.HOSTNAME + " Service shutting down, closing connection");
        }
        closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        node = null;
        assertThat(onPremises.messages()).isEmpty();

        onPremises.replyToMail(null);
        node = Node.start(config);
        SinkMessage got = Poll.until(WAIT, "the message at the smart host after the restart",
                () -> onPremises.messages().stream().filter(m -> m.text().contains(subject)).findFirst(),
                Optional::isPresent).orElseThrow();
        assertThat(got.rcptTo()).containsExactly("bo@onprem.example");
        assertThat(got.content()).endsWith(content);
        assertThat(onPremises.messages()).hasSize(1);
    }

    private static boolean refused(int port) {
        try (SmtpTalk c = SmtpTalk.connect("127.0.0.1", port)) {
            return c.greeting().startsWith("421");
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
