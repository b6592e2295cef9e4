package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice domain}: accepted domains (Exchange's Get-AcceptedDomain and friends). */
@Command(name = "domain",
        description = "Accepted domains: list, get, new, verify, set, remove.",
        subcommands = {DomainCommand.ListVerb.class, DomainCommand.GetVerb.class, DomainCommand.NewVerb.class,
                DomainCommand.VerifyVerb.class, DomainCommand.SetVerb.class, DomainCommand.RemoveVerb.class})
public final class DomainCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/domains";

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Name", "domainName"), Column.of("Type", "domainType"),
                Column.flag("MatchSubdomains", "matchSubdomains"), Column.of("Status", "status"),
                new Column("Organization", n -> organizations.getOrDefault(n.path("organizationId").asText(), "")),
                Column.of("Id", "id"));
    }

    @Command(name = "list", description = "List accepted domains.")
    static final class ListVerb extends PerOrganizationList {
        ListVerb() {
            super(BASE, DomainCommand::columns);
        }
    }

    @Command(name = "get", description = "Show one accepted domain.",
            footer = "%nExample: sluice domain get contoso.example")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Domain name or id.")
        String identity;

        @Override
        protected int run() {
            printer().object(Identity.find(api(), BASE, "domainName", "accepted domain", identity), Map.of());
            return 0;
        }
    }

    @Command(name = "new", description = "Add an accepted domain.",
            footer = {"%nAuthoritative: every recipient is a hosted mailbox (unknown ones are refused).",
                    "InternalRelay: recipients without a hosted mailbox go on (e.g. to the on-premises server).",
                    "%nAn organization administrator's new domain (other than a subdomain of one of the organization's",
                    "accepted domains) is PendingVerification until its TXT record is published: see 'sluice domain verify'.",
                    "%nExample: sluice domain new --name contoso.example --type InternalRelay"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Default: the only organization you can see.")
        String organization;

        @Option(names = "--name", required = true, paramLabel = "DOMAIN", description = "The domain, e.g. contoso.example.")
        String name;

        @Option(names = "--type", paramLabel = "TYPE", description = "Authoritative (default) or InternalRelay.")
        String type;

        @Option(names = "--match-subdomains", negatable = true,
                description = "Accept its subdomains too (InternalRelay only).")
        Boolean matchSubdomains;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("organizationId", Organizations.resolve(api(), organization));
            body.put("domainName", name);
            body.put("domainType", type);
            body.put("matchSubdomains", matchSubdomains);
            JsonNode created = api().post(BASE, body);
            printer().object(created, Map.of());
            if (!created.path("verificationRecord").isMissingNode() && !created.path("verificationRecord").isNull()) {
                printer().say("Publish this TXT record at " + created.path("domainName").asText() + ": "
                        + created.path("verificationRecord").asText());
                printer().say("then run: sluice domain verify " + created.path("domainName").asText());
            }
            return 0;
        }
    }

    @Command(name = "verify", description = "Verify a pending domain once its TXT record is published.",
            footer = {"%nThe record to publish is the domain's verificationRecord (sluice domain get NAME), as a TXT",
                    "record at the domain itself. Once found, the domain becomes an accepted domain; the record can go.",
                    "%nExample: sluice domain verify contoso.example"})
    static final class VerifyVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Domain name or id.")
        String identity;

        @Override
        protected int run() {
            String id = Identity.id(api(), BASE, "domainName", "accepted domain", identity);
            printer().object(api().post(BASE + "/" + id + "/verify", Map.of()), Map.of());
            return 0;
        }
    }

    @Command(name = "set", description = "Change an accepted domain's type (its name cannot change).",
            footer = "%nExample: sluice domain set contoso.example --type InternalRelay")
    static final class SetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Domain name or id.")
        String identity;

        @Option(names = "--type", paramLabel = "TYPE", description = "Authoritative or InternalRelay.")
        String type;

        @Option(names = "--match-subdomains", negatable = true,
                description = "Accept its subdomains too (InternalRelay only).")
        Boolean matchSubdomains;

        @Override
        protected int run() {
            String id = Identity.id(api(), BASE, "domainName", "accepted domain", identity);
            Map<String, Object> body = new LinkedHashMap<>();
            if (type != null) body.put("domainType", type);
            if (matchSubdomains != null) body.put("matchSubdomains", matchSubdomains);
            printer().object(api().patch(BASE + "/" + id, body), Map.of());
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove an accepted domain (no mailbox may use it).")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Domain name or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode d = Identity.find(api(), BASE, "domainName", "accepted domain", identity);
            api().delete(BASE + "/" + d.path("id").asText());
            printer().say("Removed accepted domain " + d.path("domainName").asText() + ".");
            return 0;
        }
    }
}
