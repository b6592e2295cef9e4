package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.cli.output.Column;
import sluice.cli.output.Formats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice stats}: the dashboard's numbers. */
@Command(name = "stats",
        description = "Statistics: mailflow.",
        subcommands = {StatsCommand.MailFlowVerb.class})
public final class StatsCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/stats";

    /** The counts, in the API's order: recipients per step of the mail flow. */
    static final List<String> COUNTS = List.of("received", "delivered", "deferred", "failed", "rejected", "quarantined");

    @Command(name = "mailflow",
            description = {"Recipients per hour: received, delivered, deferred, failed (bounced in delivery),",
                    "rejected (refused in the SMTP dialogue) and quarantined; the last hour is the one in progress."},
            footer = {"%nExamples:", "  sluice stats mailflow", "  sluice stats mailflow --hours 168 --organization Contoso -o json"})
    static final class MailFlowVerb extends ApiCommand {
        @Option(names = "--hours", paramLabel = "N", description = "How many hours back (default 24, up to 168).")
        Integer hours;

        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's mail.")
        String organization;

        @Override
        protected int run() {
            Map<String, Object> query = new LinkedHashMap<>();
            query.put("hours", hours);
            query.put("organizationId", Organizations.filter(api(), organization));
            JsonNode answer = api().get(BASE + "/mailflow", query);
            if (printer().json()) {
                printer().printJson(answer);
                return 0;
            }
            List<JsonNode> rows = new ArrayList<>();
            answer.path("hours").forEach(h -> {
                ObjectNode row = h.path("counts").deepCopy();
                row.put("hour", Formats.time(h.path("hour").asText(null)));
                rows.add(row);
            });
            ObjectNode totals = answer.path("totals").deepCopy();
            totals.put("hour", "Total");
            rows.add(totals);
            List<Column> columns = new ArrayList<>();
            columns.add(Column.of("Hour", "hour"));
            for (String c : COUNTS) columns.add(Column.of(Formats.property(c), c));
            printer().table(rows, columns);
            return 0;
        }
    }
}
