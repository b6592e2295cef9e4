package sluice.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.cli.CliException;
import sluice.cli.commands.ApiCommand;
import sluice.cli.commands.Organizations;
import sluice.cli.http.ApiProblem;
import sluice.cli.output.Terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code sluice config export|import}. */
@Command(name = "config",
        description = "Export an organization's configuration as YAML, or import it (idempotent: keep it in git).",
        subcommands = {ConfigCommand.ExportVerb.class, ConfigCommand.ImportVerb.class})
public final class ConfigCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Command(name = "export",
            description = "Write an organization's settings, accepted domains, mailboxes (without passwords), connectors, mail flow rules and"
                    + " protection policies (connection filter, anti-spam, anti-malware) as YAML.",
            footer = {"%nDKIM keys are left out (their private keys never leave the server): on",
                    "another server, create them with 'sluice dkim new' and publish their records.",
                    "%nExample: sluice config export --organization Contoso -f contoso.yaml"})
    static final class ExportVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Default: the only organization you can see.")
        String organization;

        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Write to this file (default: standard output).")
        Path file;

        @Override
        protected int run() {
            String yaml = Yaml.write(new Exporter(api()).export(Organizations.resolve(api(), organization)));
            if (file == null) {
                // Names and comments are the tenant's: on a terminal a bidi override, a zero-width or NEL/U+2028
                // character would make the YAML read other than it is, so it is shown escaped there. Redirected,
                // the text stays exact (as with -f), to be imported again.
                printer().out().print(env().interactive() ? Terminal.lines(yaml) : yaml);
                printer().out().flush();
                return 0;
            }
            try {
                Files.writeString(file, yaml);
            } catch (IOException e) {
                throw new CliException("cannot write " + file + ": " + e.getMessage());
            }
            err().println("Exported to " + file + ".");
            err().flush();
            return 0;
        }
    }

    @Command(name = "import",
            description = "Apply a configuration file to the organization --organization names: create what is missing, update"
                    + " what differs (matched by name/address).",
            footer = {"%nThe file may not choose its organization: if it names one (organization.name), that must be",
                    "the organization --organization names, or nothing is imported. A missing organization is",
                    "created only with --create-organization.",
                    "%nA file is often written by the tenant it configures. Imported by a global administrator, a file",
                    "that asks for what only a global administrator may set (an accepted domain the organization has",
                    "not proven, an inbound connector range wider than /24 or /48, an OnPremises connector's",
                    "tlsSenderCertificateName outside the organization's verified domains, localHopsAllowed: true or new",
                    "smart hosts for a connector that has it) is refused",
                    "unless --allow-global-settings is given.",
                    "%nNothing is deleted: objects the file does not mention are left alone. Mailboxes are created",
                    "without a password (set one with 'sluice mailbox set ADDRESS --password').",
                    "Policies are updated field by field; a policy field the file leaves out keeps",
                    "its value. DKIM keys are not in the file.",
                    "%nExample: sluice config import --organization Contoso -f contoso.yaml --dry-run"})
    static final class ImportVerb extends ApiCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The YAML file (from config export).")
        Path file;

        @Option(names = "--organization", required = true, paramLabel = "NAME|ID",
                description = "Required: the organization to import into (the file's organization.name must match it).")
        String organization;

        @Option(names = "--create-organization", description = "Create the organization if it does not exist (global administrators).")
        boolean createOrganization;

        @Option(names = "--allow-global-settings",
                description = "As a global administrator, also apply what only a global administrator may set (see below).")
        boolean allowGlobalSettings;

        @Option(names = "--dry-run", description = "Only show what would change.")
        boolean dryRun;

        @Override
        protected int run() {
            var json = printer().json();
            ConfigFile config = ConfigFile.of(Yaml.read(file));
            Target target = Target.resolve(api(), organization, config, createOrganization, file.toString());
            if (!allowGlobalSettings && globalAdmin()) refuseGlobalSettings(config, target);
            Importer.Result r = new Importer(api(), dryRun, line -> printer().say((dryRun ? "would " : "") + line))
                    .apply(config, target);
            if (json) {
                ObjectNode out = JsonNodeFactory.instance.objectNode();
                out.put("dryRun", dryRun).put("created", r.created()).put("updated", r.updated()).put("unchanged", r.unchanged());
                r.actions().forEach(out.putArray("actions")::add);
                printer().printJson(out);
            } else {
                String tally = "created " + r.created() + ", updated " + r.updated() + ", unchanged " + r.unchanged();
                printer().say(dryRun ? "dry run, nothing changed; would have " + tally : tally);
            }
            return 0;
        }

        /** An answer the CLI cannot read counts as a global administrator: the guard fails closed. */
        private boolean globalAdmin() {
            try {
                return api().get("/session").path("role").asText("GlobalAdmin").equals("GlobalAdmin");
            } catch (ApiProblem e) {
                return true;
            }
        }

        private void refuseGlobalSettings(ConfigFile config, Target target) {
            String id = target.id();
            GlobalSettings rules = new GlobalSettings(existing(Kind.DOMAIN, id), existing(Kind.INBOUND, id), existing(Kind.OUTBOUND, id));
            List<String> found = rules.in(config);
            if (found.isEmpty()) return;
            // Each finding quotes the tenant's file; the message as a whole keeps its own line breaks
            // (Terminal.lines), so a value must be made one line here or it could print a line of its own.
            throw new CliException(Terminal.line(file.toString()) + " asks for what only a global administrator may set, and you are one:"
                    + found.stream().map(f -> System.lineSeparator() + "  " + Terminal.line(f)).collect(Collectors.joining())
                    + System.lineSeparator() + "Nothing was changed. If you checked these settings and mean to apply them to "
                    + Terminal.line(target.name()) + ", run again with --allow-global-settings.");
        }

        private List<JsonNode> existing(Kind kind, String organizationId) {
            return organizationId == null ? List.of() : api().list(kind.base(), Map.of("organizationId", organizationId));
        }
    }
}
