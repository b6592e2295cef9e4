package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.cli.output.Column;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice audit}: who changed the configuration, and when (Exchange's admin audit log). */
@Command(name = "audit",
        description = "The audit log of configuration changes: list.",
        subcommands = {AuditCommand.ListVerb.class})
public final class AuditCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/audit";

    @Command(name = "list", description = "List configuration changes, newest first.",
            footer = {"%nExamples:", "  sluice audit list --from 1d", "  sluice audit list --organization Contoso --from 2025-01-31 --to 2025-02-01"})
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's changes.")
        String organization;

        @Option(names = "--from", paramLabel = "TIME", converter = Times.class,
                description = "At or after: 2025-01-31T08:00:00Z, 2025-01-31, or a time ago (30m, 2h, 1d).")
        Instant from;

        @Option(names = "--to", paramLabel = "TIME", converter = Times.class, description = "Before (same forms as --from).")
        Instant to;

        @Option(names = "--limit", paramLabel = "N", description = "At most this many (default 100, up to 1000).")
        Integer limit;

        @Override
        protected int run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            query.put("from", from);
            query.put("to", to);
            query.put("limit", limit);
            JsonNode answer = api().get(BASE, query);
            if (!printer().json() && answer.path("items").isEmpty()) {
                printer().say("No changes found.");
                return 0;
            }
            Map<String, String> names = printer().json() ? Map.of() : Organizations.names(api());
            printer().list(answer, List.of(Column.time("When", "at"), Column.of("Who", "actor"), Column.of("Action", "action"),
                    Column.of("Target", "targetId"),
                    new Column("Organization", n -> n.path("organizationId").isNull() ? ""
                            : names.getOrDefault(n.path("organizationId").asText(), n.path("organizationId").asText()))));
            return 0;
        }
    }
}
