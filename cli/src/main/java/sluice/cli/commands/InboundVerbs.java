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

import static sluice.cli.commands.ConnectorCommand.INBOUND;

/** {@code sluice connector list-inbound|get-inbound|new-inbound|set-inbound|remove-inbound}. */
final class InboundVerbs {

    private static final String WHAT = "inbound connector";

    private InboundVerbs() {
    }

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Name", "name"), Column.of("Type", "connectorType"), Column.flag("Enabled", "enabled"),
                new Column("IdentifiedBy", InboundVerbs::identifiedBy), Column.of("SenderDomains", "senderDomains"),
                new Column("Organization", n -> organizations.getOrDefault(n.path("organizationId").asText(), "")),
                Column.of("Id", "id"));
    }

    private static String identifiedBy(JsonNode n) {
        String ips = Formats.text(n.get("senderIpAddresses"));
        String cert = n.path("tlsSenderCertificateName").asText("");
        if (!cert.isEmpty()) cert = "certificate " + cert;
        return ips.isEmpty() ? cert : cert.isEmpty() ? ips : ips + "; " + cert;
    }

    @Command(name = "list-inbound", description = "List inbound connectors.")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Override
        protected int run() {
            Map<String, Object> query = new HashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            JsonNode answer = api().get(INBOUND, query);
            printer().list(answer, printer().json() ? List.of() : columns(Organizations.names(api())));
            return 0;
        }
    }

    @Command(name = "get-inbound", description = "Show one inbound connector.",
            footer = "%nExample: sluice connector get-inbound from-onprem")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Override
        protected int run() {
            printer().object(Identity.find(api(), INBOUND, "name", WHAT, identity), Map.of());
            return 0;
        }
    }

    @Command(name = "new-inbound", abbreviateSynopsis = true,
            description = "Create an inbound connector: recognise a partner's or your on-premises servers' mail by IP or certificate.",
            footer = {"%nExamples:",
                    "  sluice connector new-inbound --name from-onprem --type OnPremises \\",
                    "      --sender-ip-addresses 192.0.2.10,198.51.100.0/24",
                    "  sluice connector new-inbound --name fabrikam --type Partner \\",
                    "      --sender-domains fabrikam.example \\", "      --tls-sender-certificate-name mail.fabrikam.example \\",
                    "      --require-tls --restrict-domains-to-certificate"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Default: the only organization you can see.")
        String organization;

        @Mixin
        CommonConnectorFields common;

        @Mixin
        InboundFields fields;

        @Override
        protected int run() {
            if (common.name == null) throw usage("Missing required option: '--name=NAME'");
            if (common.type == null) throw usage("Missing required option: '--type=TYPE' (Partner or OnPremises)");
            Map<String, Object> body = ConnectorCommand.newBody(this, organization);
            common.put(body);
            fields.put(body);
            printer().object(api().post(INBOUND, body), Map.of());
            return 0;
        }
    }

    @Command(name = "set-inbound", abbreviateSynopsis = true, description = "Change an inbound connector (only the options given).",
            footer = {"%nExample:", "  sluice connector set-inbound from-onprem --sender-ip-addresses 192.0.2.0/28"})
    static final class SetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Mixin
        CommonConnectorFields common;

        @Mixin
        InboundFields fields;

        @Override
        protected int run() {
            String id = Identity.id(api(), INBOUND, "name", WHAT, identity);
            Map<String, Object> body = new LinkedHashMap<>();
            common.put(body);
            fields.put(body);
            printer().object(api().patch(INBOUND + "/" + id, body), Map.of());
            return 0;
        }
    }

    @Command(name = "remove-inbound", description = "Delete an inbound connector.")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode c = Identity.find(api(), INBOUND, "name", WHAT, identity);
            api().delete(INBOUND + "/" + c.path("id").asText());
            printer().say("Removed inbound connector " + c.path("name").asText() + ".");
            return 0;
        }
    }
}
