package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice trace}: message trace (Exchange's Get-MessageTrace and Get-MessageTraceDetail). */
@Command(name = "trace",
        description = "Message trace: search messages, show what happened to one.",
        subcommands = {TraceCommand.SearchVerb.class, TraceCommand.ShowVerb.class})
public final class TraceCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/trace";

    @Command(name = "search",
            description = "Search messages (the last 48 hours unless --from/--to say otherwise).",
            footer = {"%nExamples:", "  sluice trace search --recipient alice@contoso.example --from 2h",
                    "  sluice trace search --sender printer@contoso.example --status Failed \\", "      --from 2025-01-31 --to 1d",
                    "  sluice trace search --from 2025-01-31 --to 2025-02-01 --all -o json",
                    "%nA page that is not the last ends with the --cursor of the next one; give the same filters",
                    "with it (and --from/--to: the default 48 hours move with the clock), or use --all."})
    static final class SearchVerb extends ApiCommand {
        @Option(names = "--sender", paramLabel = "ADDRESS", description = "From this sender.")
        String sender;

        @Option(names = "--recipient", paramLabel = "ADDRESS", description = "To this recipient.")
        String recipient;

        @Option(names = "--from", paramLabel = "TIME", converter = Times.class,
                description = "Received at or after: 2025-01-31T08:00:00Z, 2025-01-31, or a time ago (30m, 2h, 1d).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", converter = Times.class, description = "Received before (same forms as --from).")
        Instant to;

        @Option(names = "--status", paramLabel = "STATUS",
                description = "Received, Pending, Delivered, Failed, Quarantined or Expanded.")
        String status;

        @Option(names = "--message-id", paramLabel = "ID", description = "The Message-ID header.")
        String messageId;

        @Option(names = "--limit", paramLabel = "N", description = "At most this many per page (default 100, up to 1000).")
        Integer limit;

        @Option(names = "--cursor", paramLabel = "CURSOR", description = "The page after the one that printed this cursor "
                + "(give the same filters again).")
        String cursor;

        @Option(names = "--all", description = "Every page, not just the first (pages of --limit, default 1000).")
        boolean all;

        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Override
        protected int run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            query.put("sender", sender);
            query.put("recipient", recipient);
            query.put("from", from);
            query.put("to", to);
            query.put("status", status);
            query.put("messageId", messageId);
            query.put("limit", limit);
            query.put("cursor", cursor);
            JsonNode answer = Pages.fetch(api(), BASE, query, all);
            if (!printer().json() && answer.path("items").isEmpty()) {
                printer().say("No messages found" + (from == null && to == null ? " in the last 48 hours." : "."));
                return 0;
            }
            printer().list(answer, List.of(Column.time("Received", "received"), Column.of("Sender", "sender"),
                    Column.of("Recipient", "recipient"), Column.of("Subject", "subject"), Column.of("Status", "status"),
                    Column.of("NetworkMessageId", "networkMessageId")));
            Pages.hint(printer(), answer);
            return 0;
        }
    }

    @Command(name = "show",
            description = "Show one message's events per recipient, with the remote servers' replies.",
            footer = "%nExample: sluice trace show 0f8fad5b-d9cb-469f-a165-70867728950e")
    static final class ShowVerb extends ApiCommand {
        @Parameters(paramLabel = "NETWORK_MESSAGE_ID", description = "From trace search.")
        String networkMessageId;

        @Override
        protected int run() {
            JsonNode detail = api().get(BASE + "/" + sluice.cli.http.Api.enc(networkMessageId.strip()));
            if (printer().json()) printer().printJson(detail);
            else new Timeline(printer().out()).print(detail);
            return 0;
        }
    }
}
