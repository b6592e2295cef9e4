package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Formats;
import sluice.cli.output.Terminal;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static sluice.cli.commands.ConnectorCommand.OUTBOUND;

/**
 * {@code sluice connector validate}: connects to every next hop of an outbound connector (EHLO,
 * STARTTLS, certificate) and, with recipients, sends a test message. Exit code 1 when it failed.
 */
@Command(name = "validate",
        description = "Test an outbound connector: connect to each smart host (EHLO, STARTTLS, certificate), optionally send a test message.",
        footer = {"%nThe report is stored on the connector. Exit code 1 when the validation failed.",
                "%nExample: sluice connector validate to-onprem --recipient postmaster@contoso.example"})
final class ValidateVerb extends ApiCommand {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @Parameters(paramLabel = "IDENTITY", description = "Outbound connector name or id.")
    String identity;

    @Option(names = "--recipient", paramLabel = "ADDRESS", description = "Send a test message to this address (repeatable, up to 10).")
    List<String> recipients;

    @Override
    protected int run() {
        JsonNode connector = Identity.find(api(), OUTBOUND, "name", OutboundVerbs.WHAT, identity);
        String hops = connector.path("useMxRecord").asBoolean() ? "MX hosts" : Formats.text(connector.get("smartHosts"));
        JsonNode report = withProgress(Terminal.line("Validating " + connector.path("name").asText() + " (" + hops + ")"),
                () -> api().postSlow(OUTBOUND + "/" + connector.path("id").asText() + "/validate",
                        recipients == null ? null : Map.of("recipients", recipients), TIMEOUT));
        if (printer().json()) printer().printJson(report);
        else print(connector.path("name").asText(), report);
        return report.path("succeeded").asBoolean() ? 0 : 1;
    }

    /** The report as people read it: host names, steps and errors are remote servers' words, made safe. */
    private void print(String name, JsonNode report) {
        PrintWriter out = printer().out();
        out.println("Validation of " + Terminal.line(name) + ": " + (report.path("succeeded").asBoolean() ? "Succeeded" : "Failed")
                + " at " + Formats.time(report.path("at").asText(null)));
        for (JsonNode host : report.path("hosts")) {
            out.println();
            out.println(Terminal.line(host.path("host").asText()) + "  " + (host.path("succeeded").asBoolean() ? "OK" : "FAILED"));
            for (JsonNode step : host.path("steps")) out.println("  " + Terminal.line(step.asText()));
            if (host.hasNonNull("error")) out.println("  error: " + Terminal.line(host.path("error").asText()));
        }
        out.flush();
    }

    /** Runs {@code call}, showing a line on stderr meanwhile: redrawn with the seconds elapsed when a person watches. */
    private JsonNode withProgress(String label, java.util.function.Supplier<JsonNode> call) {
        PrintWriter err = err();
        if (!env().interactive()) {
            err.println(label + "...");
            err.flush();
            return call.get();
        }
        long start = System.nanoTime();
        Thread ticker = Thread.ofVirtual().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    long s = Duration.ofNanos(System.nanoTime() - start).toSeconds();
                    err.print("\r" + label + "... " + s + "s");
                    err.flush();
                    Thread.sleep(500);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
        try {
            return call.get();
        } finally {
            ticker.interrupt();
            try {
                ticker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            err.print("\r" + " ".repeat(label.length() + 12) + "\r");
            err.flush();
        }
    }
}
