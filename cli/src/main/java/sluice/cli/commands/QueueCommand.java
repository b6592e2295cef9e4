package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;
import sluice.cli.output.Formats;
import sluice.cli.output.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice queue}: messages waiting for delivery (Exchange's Get-Message, Retry-Queue, Remove-Message). */
@Command(name = "queue",
        description = "The delivery queue: list, show, retry now, suspend, resume, remove (with or without a non-delivery report).",
        subcommands = {QueueCommand.ListVerb.class, QueueCommand.ShowVerb.class, QueueCommand.RetryVerb.class,
                QueueCommand.SuspendVerb.class, QueueCommand.ResumeVerb.class, QueueCommand.RemoveVerb.class})
public final class QueueCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/queue";
    private static final List<Column> RECIPIENT_COLUMNS = List.of(Column.of("Recipient", "address"), Column.of("State", "state"),
            Column.of("Attempts", "attempts"), Column.time("NextAttempt", "nextAttemptAt"), Column.of("LastReply", "lastReply"));

    @Command(name = "list", description = "List queued messages, one line per recipient.")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Option(names = "--limit", paramLabel = "N", description = "At most this many messages (default 100).")
        Integer limit;

        @Override
        protected int run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            query.put("limit", limit);
            JsonNode answer = api().get(BASE, query);
            if (printer().json()) {
                printer().printJson(answer);
                return 0;
            }
            if (answer.path("items").isEmpty()) {
                printer().say("The queue is empty.");
                return 0;
            }
            Table t = new Table(List.of("Id", "Received", "Sender", "Recipient", "State", "Attempts", "NextAttempt", "LastReply"));
            for (JsonNode m : answer.path("items")) {
                for (JsonNode r : m.path("recipients")) {
                    List<String> row = new ArrayList<>(List.of(m.path("id").asText(), Formats.time(m.path("receivedAt").asText(null)),
                            m.path("sender").asText("")));
                    RECIPIENT_COLUMNS.forEach(c -> row.add(c.value().apply(r)));
                    t.row(row);
                }
            }
            t.print(printer().out());
            return 0;
        }
    }

    @Command(name = "show", description = "Show one queued message and its recipients.")
    static final class ShowVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Queue id (from queue list).")
        String id;

        @Override
        protected int run() {
            JsonNode m = api().get(BASE + "/" + sluice.cli.http.Api.enc(id.strip()));
            if (printer().json()) {
                printer().printJson(m);
                return 0;
            }
            Map<String, String> props = new LinkedHashMap<>();
            props.put("Id", m.path("id").asText());
            props.put("NetworkMessageId", m.path("networkMessageId").asText(""));
            props.put("Sender", m.path("sender").asText(""));
            props.put("ReceivedAt", Formats.time(m.path("receivedAt").asText(null)));
            props.put("Size", Formats.bytes(m.path("size").asLong()));
            props.put("OrganizationId", m.path("organizationId").asText(""));
            printer().properties(props);
            printer().out().println();
            List<JsonNode> recipients = new ArrayList<>();
            m.path("recipients").forEach(recipients::add);
            printer().table(recipients, RECIPIENT_COLUMNS);
            return 0;
        }
    }

    @Command(name = "retry", description = "Try to deliver a queued message now.")
    static final class RetryVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Queue id (from queue list).")
        String id;

        @Override
        protected int run() {
            api().post(BASE + "/" + sluice.cli.http.Api.enc(id.strip()) + "/retry", null);
            printer().say("Retrying " + id.strip() + " now.");
            return 0;
        }
    }

    @Command(name = "suspend", description = "Hold a queued message: no delivery attempts and no expiry until resumed.")
    static final class SuspendVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Queue id (from queue list).")
        String id;

        @Override
        protected int run() {
            api().post(BASE + "/" + sluice.cli.http.Api.enc(id.strip()) + "/suspend", null);
            printer().say("Suspended " + id.strip() + "; resume it with: sluice queue resume " + id.strip());
            return 0;
        }
    }

    @Command(name = "resume", description = "Resume a suspended message: it is tried again now.")
    static final class ResumeVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Queue id (from queue list).")
        String id;

        @Override
        protected int run() {
            api().post(BASE + "/" + sluice.cli.http.Api.enc(id.strip()) + "/resume", null);
            printer().say("Resumed " + id.strip() + "; delivery is being tried now.");
            return 0;
        }
    }

    @Command(name = "remove",
            description = "Remove a message from the queue; --ndr tells the sender it was not delivered, --no-ndr removes it silently.",
            footer = "%nExample: sluice queue remove 0123456789ABCDEF0123 --ndr")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Queue id (from queue list).")
        String id;

        @Option(names = "--ndr", negatable = true, description = "Send a non-delivery report to the sender (--ndr) or not (--no-ndr); one is required.")
        Boolean ndr;

        @Override
        protected int run() {
            if (ndr == null) throw usage("choose --ndr (tell the sender) or --no-ndr (remove silently)");
            api().delete(BASE + "/" + sluice.cli.http.Api.enc(id.strip()) + "?ndr=" + ndr);
            printer().say("Removed " + id.strip() + (ndr ? "; the sender gets a non-delivery report." : " without a non-delivery report."));
            return 0;
        }
    }
}
