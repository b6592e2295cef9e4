package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;
import sluice.cli.output.Formats;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code sluice mailbox}: hosted mailboxes. */
@Command(name = "mailbox",
        description = "Hosted mailboxes: list, get, new, set, remove.",
        subcommands = {MailboxCommand.ListVerb.class, MailboxCommand.GetVerb.class, MailboxNew.class,
                MailboxSet.class, MailboxCommand.RemoveVerb.class})
public final class MailboxCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/mailboxes";
    static final String WHAT = "mailbox";

    static final Map<String, Function<JsonNode, String>> SHOWN = Map.of(
            "quotaBytes", n -> Formats.quota(n.asLong()),
            "usageBytes", n -> n.isNull() ? null : Formats.bytes(n.asLong()));

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Address", "address"), Column.of("DisplayName", "displayName"), Column.of("Aliases", "aliases"),
                new Column("Quota", n -> Formats.quota(n.path("quotaBytes").asLong())),
                new Column("Organization", n -> organizations.getOrDefault(n.path("organizationId").asText(), "")),
                Column.of("Id", "id"));
    }

    @Command(name = "list", description = "List hosted mailboxes.")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Override
        protected int run() {
            Map<String, Object> query = new HashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            JsonNode answer = api().get(BASE, query);
            printer().list(answer, printer().json() ? List.of() : columns(Organizations.names(api())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show one mailbox, with its usage.",
            footer = "%nExample: sluice mailbox get alice@contoso.example")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Primary address or id.")
        String identity;

        @Override
        protected int run() {
            // The list answer has no usage; the single one has.
            String id = Identity.id(api(), BASE, "address", WHAT, identity);
            printer().object(api().get(BASE + "/" + id), SHOWN);
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete a mailbox and the mail stored in it.")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Primary address or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode m = Identity.find(api(), BASE, "address", WHAT, identity);
            api().delete(BASE + "/" + m.path("id").asText());
            printer().say("Removed mailbox " + m.path("address").asText() + ".");
            return 0;
        }
    }

    /** The body fields new and set share. */
    static void putCommon(Map<String, Object> body, List<String> aliases, String displayName, Long quota, String password) {
        if (aliases != null) body.put("aliases", aliases);
        if (displayName != null) body.put("displayName", displayName);
        if (quota != null) body.put("quotaBytes", quota);
        if (password != null) body.put("password", password);
    }

    static Map<String, Object> body() {
        return new LinkedHashMap<>();
    }
}
