package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import sluice.cli.output.Formats;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code sluice connector}: inbound and outbound connectors, and validating an outbound one. */
@Command(name = "connector",
        description = "Connectors: how mail from partners and on-premises servers is recognised, and where outgoing mail goes.",
        subcommands = {InboundVerbs.ListVerb.class, InboundVerbs.GetVerb.class, InboundVerbs.NewVerb.class,
                InboundVerbs.SetVerb.class, InboundVerbs.RemoveVerb.class,
                OutboundVerbs.ListVerb.class, OutboundVerbs.GetVerb.class, OutboundVerbs.NewVerb.class,
                OutboundVerbs.SetVerb.class, OutboundVerbs.RemoveVerb.class, ValidateVerb.class})
public final class ConnectorCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String INBOUND = "/connectors/inbound";
    static final String OUTBOUND = "/connectors/outbound";

    /** Organization (when not given), then the fields, for POST. */
    static Map<String, Object> newBody(ApiCommand command, String organization) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("organizationId", Organizations.resolve(command.api(), organization));
        return body;
    }

    /** How a connector's last validation reads: "Succeeded 2025-01-31T08:00:00Z", or "Never". */
    static String validation(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "Never";
        return (v.path("succeeded").asBoolean() ? "Succeeded " : "Failed ") + Formats.time(v.path("at").asText(null));
    }
}
