package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;
import sluice.cli.output.Formats;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static sluice.cli.commands.ConnectorCommand.OUTBOUND;

/** {@code sluice connector list-outbound|get-outbound|new-outbound|set-outbound|remove-outbound}. */
final class OutboundVerbs {

    static final String WHAT = "outbound connector";
    private static final Map<String, Function<JsonNode, String>> SHOWN = Map.of("lastValidation", ConnectorCommand::validation);

    private OutboundVerbs() {
    }

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Name", "name"), Column.of("Type", "connectorType"), Column.flag("Enabled", "enabled"),
                new Column("RecipientDomains", n -> n.path("allAcceptedDomains").asBoolean() ? "(all accepted domains)"
                        : Formats.text(n.get("recipientDomains"))),
                new Column("NextHop", n -> n.path("useMxRecord").asBoolean() ? "MX" : Formats.text(n.get("smartHosts"))),
                new Column("Tls", n -> n.path("tlsSettings").isTextual() ? n.path("tlsSettings").asText() : "Opportunistic"),
                new Column("Validated", n -> ConnectorCommand.validation(n.get("lastValidation"))),
                new Column("Organization", n -> organizations.getOrDefault(n.path("organizationId").asText(), "")),
                Column.of("Id", "id"));
    }

    @Command(name = "list-outbound", description = "List outbound connectors.")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Override
        protected int run() {
            Map<String, Object> query = new HashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            JsonNode answer = api().get(OUTBOUND, query);
            printer().list(answer, printer().json() ? List.of() : columns(Organizations.names(api())));
            return 0;
        }
    }

    @Command(name = "get-outbound", description = "Show one outbound connector.",
            footer = "%nExample: sluice connector get-outbound to-onprem")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Override
        protected int run() {
            printer().object(Identity.find(api(), OUTBOUND, "name", WHAT, identity), SHOWN);
            return 0;
        }
    }

    @Command(name = "new-outbound", abbreviateSynopsis = true,
            description = "Create an outbound connector: where mail for some domains goes, and what TLS it requires.",
            footer = {"%nExamples:",
                    "  sluice connector new-outbound --name to-onprem --type OnPremises \\",
                    "      --all-accepted-domains --smart-hosts mail.onprem.example:25",
                    "  sluice connector new-outbound --name fabrikam --type Partner \\",
                    "      --recipient-domains fabrikam.example --use-mx-record \\",
                    "      --tls-settings DomainValidation --tls-domain mail.fabrikam.example"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Default: the only organization you can see.")
        String organization;

        @Mixin
        CommonConnectorFields common;

        @Mixin
        OutboundFields fields;

        @Override
        protected int run() {
            if (common.name == null) throw usage("Missing required option: '--name=NAME'");
            if (common.type == null) throw usage("Missing required option: '--type=TYPE' (Partner or OnPremises)");
            Map<String, Object> body = ConnectorCommand.newBody(this, organization);
            common.put(body);
            fields.put(body);
            printer().object(api().post(OUTBOUND, body), SHOWN);
            return 0;
        }
    }

    @Command(name = "set-outbound", abbreviateSynopsis = true, description = "Change an outbound connector (only the options given).",
            footer = {"%nExample:", "  sluice connector set-outbound to-onprem --smart-hosts mail2.onprem.example \\",
                    "      --tls-settings EncryptionOnly"})
    static final class SetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Mixin
        CommonConnectorFields common;

        @Mixin
        OutboundFields fields;

        @Override
        protected int run() {
            String id = Identity.id(api(), OUTBOUND, "name", WHAT, identity);
            Map<String, Object> body = new LinkedHashMap<>();
            common.put(body);
            fields.put(body);
            printer().object(api().patch(OUTBOUND + "/" + id, body), SHOWN);
            return 0;
        }
    }

    @Command(name = "remove-outbound", description = "Delete an outbound connector.")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode c = Identity.find(api(), OUTBOUND, "name", WHAT, identity);
            api().delete(OUTBOUND + "/" + c.path("id").asText());
            printer().say("Removed outbound connector " + c.path("name").asText() + ".");
            return 0;
        }
    }
}
