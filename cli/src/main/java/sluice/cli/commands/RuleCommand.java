package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.output.Column;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice rule}: mail flow rules (Exchange's Get-TransportRule, New-TransportRule and friends). */
@Command(name = "rule",
        description = "Mail flow rules (transport rules): list, get, new, set, remove.",
        subcommands = {RuleCommand.ListVerb.class, RuleCommand.GetVerb.class, RuleCommand.NewVerb.class,
                RuleCommand.SetVerb.class, RuleCommand.RemoveVerb.class})
public final class RuleCommand {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/rules";

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Priority", "priority"), Column.of("Name", "name"), Column.flag("Enabled", "enabled"),
                new Column("Actions", RuleCommand::actions),
                new Column("Organization", n -> organizations.getOrDefault(n.path("organizationId").asText(), "")),
                Column.of("Id", "id"));
    }

    /** The actions a rule takes, by name, for the table. */
    static String actions(JsonNode rule) {
        List<String> names = new ArrayList<>();
        rule.path("actions").fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            boolean set = !(v.isNull() || v.isMissingNode() || (v.isBoolean() && !v.asBoolean()) || (v.isArray() && v.isEmpty()));
            if (set) names.add(e.getKey());
        });
        return String.join(",", names);
    }

    @Command(name = "list", description = "List mail flow rules in priority order.")
    static final class ListVerb extends PerOrganizationList {
        ListVerb() {
            super(BASE, RuleCommand::columns);
        }
    }

    @Command(name = "get", description = "Show one mail flow rule with its conditions, exceptions and actions.",
            footer = "%nExample: sluice rule get \"Tag external mail\"")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Rule name or id.")
        String identity;

        @Override
        protected int run() {
            printer().object(Identity.find(api(), BASE, "name", "mail flow rule", identity), Map.of());
            return 0;
        }
    }

    @Command(name = "new", description = "Create a mail flow rule: all conditions must match (none: every message), "
            + "no exception may match; then the actions apply.",
            footer = {"%nRules run in priority order (0 first) after anti-malware; rules with --scl-over run after anti-spam.",
                    "%nExamples:",
                    "  sluice rule new --name \"Tag external\" --from-scope NotInOrganization \\",
                    "      --prepend-subject \"[EXT] \"",
                    "  sluice rule new --name \"No exe\" --attachment-extension exe,scr \\",
                    "      --reject \"Executables are refused\" --reject-code 5.7.950",
                    "  sluice rule new --name \"Via partner\" --recipient-domain fabrikam.example \\",
                    "      --route-using-connector \"Partner (rules only)\" \\",
                    "      --except fromScope=NotInOrganization"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Default: the only organization you can see.")
        String organization;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "The rule's name, unique in the organization.")
        String name;

        @Option(names = "--priority", paramLabel = "N", description = "0 runs first; others move down. Default: last.")
        Integer priority;

        @Option(names = "--enabled", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Whether the rule runs (default: enabled; --no-enabled creates it disabled).")
        boolean enabled;

        @Option(names = "--comment", paramLabel = "TEXT", description = "A note for administrators.")
        String comment;

        @Mixin
        RuleFields fields;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("organizationId", Organizations.resolve(api(), organization));
            body.put("name", name);
            if (priority != null) body.put("priority", priority);
            body.put("enabled", enabled);
            if (comment != null) body.put("comment", comment);
            fields.put(body, null);
            printer().object(api().post(BASE, body), Map.of());
            return 0;
        }
    }

    @Command(name = "set", description = "Change a mail flow rule; options not given keep their value.",
            footer = {"%nExamples:",
                    "  sluice rule set \"Tag external\" --priority 0",
                    "  sluice rule set \"Tag external\" --no-enabled"})
    static final class SetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Rule name or id.")
        String identity;

        @Option(names = "--name", paramLabel = "NAME", description = "A new name.")
        String name;

        @Option(names = "--priority", paramLabel = "N", description = "Move the rule (0 runs first).")
        Integer priority;

        @Option(names = "--enabled", negatable = true, description = "Turn the rule on or off.")
        Boolean enabled;

        @Option(names = "--comment", paramLabel = "TEXT", description = "A note for administrators ('' clears).")
        String comment;

        @Mixin
        RuleFields fields;

        @Override
        protected int run() {
            JsonNode current = Identity.find(api(), BASE, "name", "mail flow rule", identity);
            Map<String, Object> body = new LinkedHashMap<>();
            if (name != null) body.put("name", name);
            if (priority != null) body.put("priority", priority);
            if (enabled != null) body.put("enabled", enabled);
            if (comment != null) body.put("comment", comment);
            fields.put(body, current);
            printer().object(api().patch(BASE + "/" + current.path("id").asText(), body), Map.of());
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove a mail flow rule; the ones after it move up.")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Rule name or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode r = Identity.find(api(), BASE, "name", "mail flow rule", identity);
            api().delete(BASE + "/" + r.path("id").asText());
            printer().say("Removed mail flow rule " + r.path("name").asText() + ".");
            return 0;
        }
    }
}
