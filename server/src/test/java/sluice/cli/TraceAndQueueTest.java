package sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Following messages sent over SMTP: one to a hosted mailbox (delivered) and one to an InternalRelay
 * domain whose smart host refuses connections (deferred, so it stays in the queue).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceAndQueueTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CliNode node;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        node = CliNode.start(dir);
        ok(node.sluice("organization", "new", "--name", "Contoso"));
        ok(node.sluice("domain", "new", "--name", "contoso.test"));
        ok(node.sluice("domain", "new", "--name", "relay.test", "--type", "InternalRelay"));
        ok(node.sluice("mailbox", "new", "--address", "alice@contoso.test"));
        ok(node.sluice("connector", "new-outbound", "--name", "dead-end", "--type", "OnPremises",
                "--recipient-domains", "relay.test", "--smart-hosts", "127.0.0.1:1", "--local-hops-allowed"));
        Smtp.send(node.smtpPort(), "sender@partner.example", "alice@contoso.test", "Quarterly report");
        Smtp.send(node.smtpPort(), "sender@partner.example", "bob@relay.test", "Stuck in the queue");
    }

    @AfterAll
    void stop() {
        if (node != null) node.close();
    }

    @Test
    void traceSearchAndShow() throws Exception {
        CliNode.Run found = poll(() -> node.sluice("trace", "search", "--recipient", "alice@contoso.test", "--from", "1h"),
                r -> r.out().contains("Delivered"));
        assertThat(found.out()).contains("Received", "Sender", "Recipient", "Status", "Quarterly report", "sender@partner.example");

        JsonNode items = JSON.readTree(node.sluice("trace", "search", "--sender", "sender@partner.example", "--status", "Delivered",
                "-o", "json").out()).path("items");
        assertThat(items).hasSize(1);
        String id = items.get(0).path("networkMessageId").asText();

        CliNode.Run show = node.sluice("trace", "show", id);
        assertThat(show.exit()).as(show.toString()).isZero();
        assertThat(show.out()).contains("NetworkMessageId : " + id, "Subject          : Quarterly report",
                "Recipient alice@contoso.test", "Receive", "Deliver");

        assertThat(node.sluice("trace", "search", "--recipient", "nobody@contoso.test").out()).contains("No messages found");
        CliNode.Run badStatus = node.sluice("trace", "search", "--status", "Lost");
        assertThat(badStatus.exit()).isEqualTo(1);
        assertThat(badStatus.err()).contains("Bad Request", "status");
        assertThat(node.sluice("trace", "search", "--from", "yesterday-ish").exit()).isEqualTo(2);
    }

    @Test
    void queueListShowSuspendResumeRetryRemove() throws Exception {
        CliNode.Run list = poll(() -> node.sluice("queue", "list"), r -> r.out().contains("bob@relay.test") && r.out().contains("451 "));
        assertThat(list.out()).contains("Id", "Recipient", "State", "LastReply", "sender@partner.example");

        String id = JSON.readTree(node.sluice("queue", "list", "-o", "json").out()).path("items").get(0).path("id").asText();
        CliNode.Run show = node.sluice("queue", "show", id);
        assertThat(show.out()).contains("Id               : " + id, "bob@relay.test", "Queued", "451 4.4.1");

        // a delivery attempt in flight answers 409 for a moment; the poll waits it out
        CliNode.Run suspended = poll(() -> node.sluice("queue", "suspend", id), r -> r.exit() == 0);
        assertThat(suspended.out()).contains("Suspended " + id);
        assertThat(node.sluice("queue", "show", id).out()).contains("Suspended");
        CliNode.Run resumed = poll(() -> node.sluice("queue", "resume", id), r -> r.exit() == 0);
        assertThat(resumed.out()).contains("Resumed " + id);
        assertThat(node.sluice("queue", "retry", id).out()).contains("Retrying " + id);
        CliNode.Run removed = node.sluice("queue", "remove", id, "--no-ndr");
        assertThat(removed.exit()).as(removed.toString()).isZero();
        assertThat(removed.out()).contains("without a non-delivery report");
        poll(() -> node.sluice("queue", "list"), r -> r.out().contains("The queue is empty."));

        CliNode.Run gone = node.sluice("queue", "show", id);
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("Not Found", "is not in the queue");
    }

    private static void ok(CliNode.Run r) {
        assertThat(r.exit()).as(r.toString()).isZero();
    }

    private static CliNode.Run poll(java.util.function.Supplier<CliNode.Run> run, java.util.function.Predicate<CliNode.Run> done)
            throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        CliNode.Run last;
        do {
            last = run.get();
            if (done.test(last)) return last;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("timed out; last: " + last);
    }

}
