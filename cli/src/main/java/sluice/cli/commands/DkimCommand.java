package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.CliException;
import sluice.cli.http.Api;
import sluice.cli.output.Column;
import sluice.cli.output.Formats;
import sluice.cli.output.Terminal;

import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code sluice dkim}: DKIM signing keys of accepted domains (EOP's Get-/New-/Set-/Rotate-DkimSigningConfig).
 * A new key is disabled until its TXT record is published and it is enabled; private keys never leave the server.
 */
@Command(name = "dkim",
        description = "DKIM signing keys: list, get, new, enable, disable, rotate, remove.",
        subcommands = {DkimCommand.ListVerb.class, DkimCommand.GetVerb.class, DkimCommand.NewVerb.class,
                DkimCommand.EnableVerb.class, DkimCommand.DisableVerb.class, DkimCommand.RotateVerb.class,
                DkimCommand.RemoveVerb.class})
public final class DkimCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/dkim";
    static final String IDENTITY = "Id, DNS name (SELECTOR._domainkey.DOMAIN), or the domain when it has one key.";

    /** The record is printed on its own, not in the property list. */
    static final Map<String, Function<JsonNode, String>> SHOWN = Map.of(
            "enabled", n -> n.asBoolean() ? "Yes" : "No",
            "createdAt", n -> Formats.time(n.asText(null)),
            "dnsName", n -> null,
            "dnsRecord", n -> null);

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Domain", "domainName"), Column.of("Selector", "selector"), Column.of("KeyType", "keyType"),
                Column.flag("Enabled", "enabled"), Column.time("Created", "createdAt"),
                new Column("Organization", n -> organizations.getOrDefault(n.path("organizationId").asText(), "")),
                Column.of("Id", "id"));
    }

    /** The key {@code given} names: its id, its DNS name, or its domain when the domain has exactly one key. */
    static JsonNode find(Api api, String given) {
        if (Identity.isId(given)) return api.get(BASE + "/" + given);
        String wanted = given.strip().toLowerCase(Locale.ROOT);
        List<JsonNode> all = api.list(BASE, Map.of());
        List<JsonNode> byName = all.stream().filter(k -> k.path("dnsName").asText("").equalsIgnoreCase(wanted)).toList();
        if (byName.size() == 1) return byName.getFirst();
        List<JsonNode> byDomain = all.stream().filter(k -> k.path("domainName").asText("").equalsIgnoreCase(wanted)).toList();
        if (byDomain.size() == 1) return byDomain.getFirst();
        if (byDomain.isEmpty()) throw new CliException("Not Found: there is no DKIM key '" + given + "'");
        StringBuilder m = new StringBuilder(given + " has " + byDomain.size() + " DKIM keys; give the id or the DNS name:");
        for (JsonNode k : byDomain)
            m.append(System.lineSeparator()).append("  ").append(k.path("id").asText()).append("  ").append(k.path("dnsName").asText())
                    .append(k.path("enabled").asBoolean() ? "  (enabled)" : "");
        throw new CliException(m.toString());
    }

    /** The key's properties, then the record to publish and what to do next. */
    static void show(ApiCommand command, JsonNode key, String note) {
        if (command.printer().json()) {
            command.printer().printJson(key);
            return;
        }
        command.printer().object(key, SHOWN);
        PrintWriter out = command.printer().out();
        out.println();
        out.println("DNS record to publish for " + Terminal.line(key.path("domainName").asText()) + ":");
        out.println("  Name  : " + Terminal.line(key.path("dnsName").asText()));
        out.println("  Type  : TXT");
        out.println("  Value : " + Terminal.line(key.path("dnsRecord").asText()));
        out.println();
        if (note != null) out.println(note);
        else if (key.path("enabled").asBoolean()) out.println("This key signs mail: keep the record published.");
        else out.println("Publish this record, then: sluice dkim enable " + Terminal.line(key.path("id").asText()));
        out.flush();
    }

    @Command(name = "list", description = "List DKIM signing keys.")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only this organization's.")
        String organization;

        @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only this domain's.")
        String domain;

        @Override
        protected int run() {
            Map<String, Object> query = new HashMap<>();
            query.put("organizationId", Organizations.filter(api(), organization));
            JsonNode answer = api().get(BASE, query);
            if (domain != null) {
                var items = Api.JSON.createArrayNode();
                answer.path("items").forEach(k -> {
                    if (k.path("domainName").asText("").equalsIgnoreCase(domain.strip())) items.add(k);
                });
                answer = Api.JSON.createObjectNode().set("items", items);
            }
            printer().list(answer, printer().json() ? List.of() : columns(Organizations.names(api())));
            return 0;
        }
    }

    @Command(name = "get", description = "Show one DKIM key and the DNS record to publish for it.",
            footer = "%nExample: sluice dkim get contoso.example")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = IDENTITY)
        String identity;

        @Override
        protected int run() {
            show(this, find(api(), identity), null);
            return 0;
        }
    }

    @Command(name = "new", description = "Create a DKIM key for an accepted domain (disabled until you enable it).",
            footer = {"%nThe command prints the TXT record to publish in the domain's DNS; once it",
                    "is published, enable the key. Rsa2048 is what every receiver verifies;",
                    "Ed25519 (RFC 8463) is smaller.",
                    "%nExample:", "  sluice dkim new --domain contoso.example", "  sluice dkim enable ID"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID",
                description = "Default: the organization that has the domain as an accepted domain.")
        String organization;

        @Option(names = "--domain", required = true, paramLabel = "DOMAIN", description = "An accepted domain.")
        String domain;

        @Option(names = "--key-type", paramLabel = "TYPE", description = "Rsa2048 (default) or Ed25519.")
        String keyType;

        @Option(names = "--selector", paramLabel = "SELECTOR",
                description = "The DNS label of the key (default: sluice-YYYYMMDD-xxxx).")
        String selector;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (organization != null) body.put("organizationId", Organizations.resolve(api(), organization));
            body.put("domainName", domain);
            body.put("keyType", keyType);
            body.put("selector", selector);
            show(this, api().post(BASE, body), null);
            return 0;
        }
    }

    @Command(name = "enable", description = "Sign the domain's outgoing mail with this key (publish its record first).",
            footer = "%nExample: sluice dkim enable sluice-20250131-1a2b._domainkey.contoso.example")
    static final class EnableVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = IDENTITY)
        String identity;

        @Override
        protected int run() {
            return setEnabled(this, identity, true);
        }
    }

    @Command(name = "disable", description = "Stop signing with this key (the key is kept).")
    static final class DisableVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = IDENTITY)
        String identity;

        @Override
        protected int run() {
            return setEnabled(this, identity, false);
        }
    }

    static int setEnabled(ApiCommand command, String identity, boolean enabled) {
        JsonNode k = find(command.api(), identity);
        JsonNode after = command.api().patch(BASE + "/" + k.path("id").asText(), Map.of("enabled", enabled));
        if (command.printer().json()) command.printer().printJson(after);
        else command.printer().say((enabled ? "Enabled" : "Disabled") + " DKIM key " + after.path("selector").asText() + " of "
                + after.path("domainName").asText() + (enabled ? ": its mail is signed now." : ": its mail is no longer signed with it."));
        return 0;
    }

    @Command(name = "rotate",
            description = "Create a new key under a new selector and move signing to it; the old key is disabled and kept.",
            footer = {"%nPublish the new record at once, and keep the old key's for a few days: mail",
                    "signed with it may still be verified. Then remove the old key with",
                    "'sluice dkim remove ID'.",
                    "%nExample: sluice dkim rotate contoso.example --key-type Ed25519"})
    static final class RotateVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = IDENTITY)
        String identity;

        @Option(names = "--key-type", paramLabel = "TYPE", description = "Rsa2048 or Ed25519 (default: the old key's type).")
        String keyType;

        @Override
        protected int run() {
            JsonNode old = find(api(), identity);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("keyType", keyType);
            JsonNode next = api().post(BASE + "/" + old.path("id").asText() + "/rotate", body);
            String note = old.path("enabled").asBoolean()
                    ? "Signing moved to this key; the old key " + old.path("selector").asText() + " is disabled. Publish this record"
                    + " now (mail signed with the new key fails verification until it is), keep the old one for a few days,"
                    + System.lineSeparator() + "then: sluice dkim remove " + old.path("id").asText()
                    : null;
            show(this, next, note);
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete a DKIM key (its DNS record can go too once no mail signed with it is in transit).")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = IDENTITY)
        String identity;

        @Override
        protected int run() {
            JsonNode k = find(api(), identity);
            api().delete(BASE + "/" + k.path("id").asText());
            printer().say("Removed DKIM key " + k.path("selector").asText() + " of " + k.path("domainName").asText() + ".");
            return 0;
        }
    }
}
