package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice organization}: tenants. */
@Command(name = "organization",
        description = "Organizations (tenants): list, get, new, set, remove.",
        subcommands = {OrganizationCommand.ListVerb.class, OrganizationCommand.GetVerb.class, OrganizationCommand.NewVerb.class,
                OrganizationCommand.SetVerb.class, OrganizationCommand.RemoveVerb.class})
public final class OrganizationCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = Organizations.BASE;
    static final List<Column> COLUMNS = List.of(Column.of("Name", "name"), Column.flag("RejectDirectSend", "rejectDirectSend"),
            Column.of("Id", "id"));

    @Command(name = "list", description = "List the organizations you can see.")
    static final class ListVerb extends ApiCommand {
        @Override
        protected int run() {
            printer().list(api().get(BASE), COLUMNS);
            return 0;
        }
    }

    @Command(name = "get", description = "Show one organization.",
            footer = "%nExample: sluice organization get Contoso")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Override
        protected int run() {
            printer().object(Identity.find(api(), BASE, "name", "organization", identity), Map.of());
            return 0;
        }
    }

    @Command(name = "new", description = "Create an organization (global administrators).",
            footer = "%nExample: sluice organization new --name Contoso --reject-direct-send")
    static final class NewVerb extends ApiCommand {
        @Option(names = "--name", required = true, description = "Its name, unique on this server.")
        String name;

        @Option(names = "--reject-direct-send", negatable = true,
                description = "Refuse direct send (unauthenticated mail from the organization's own domains to its mailboxes).")
        Boolean rejectDirectSend;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("rejectDirectSend", rejectDirectSend);
            printer().object(api().post(BASE, body), Map.of());
            return 0;
        }
    }

    @Command(name = "set", description = "Change an organization.",
            footer = "%nExample: sluice organization set Contoso --no-reject-direct-send")
    static final class SetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Option(names = "--name", description = "A new name.")
        String name;

        @Option(names = "--reject-direct-send", negatable = true,
                description = "Refuse direct send to the organization's mailboxes from its own domains.")
        Boolean rejectDirectSend;

        @Override
        protected int run() {
            String id = Identity.id(api(), BASE, "name", "organization", identity);
            Map<String, Object> body = new LinkedHashMap<>();
            if (name != null) body.put("name", name);
            if (rejectDirectSend != null) body.put("rejectDirectSend", rejectDirectSend);
            printer().object(api().patch(BASE + "/" + id, body), Map.of());
            return 0;
        }
    }

    @Command(name = "remove",
            description = "Delete an organization (it must have no accepted domains or mailboxes left).")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode org = Identity.find(api(), BASE, "name", "organization", identity);
            api().delete(BASE + "/" + org.path("id").asText());
            printer().say("Removed organization " + org.path("name").asText() + " (" + org.path("id").asText() + ").");
            return 0;
        }
    }
}
