package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code sluice mailbox new}. */
@Command(name = "new", abbreviateSynopsis = true, description = "Create a hosted mailbox.",
        footer = {"%nExample:", "  echo \"$PASSWORD\" | sluice mailbox new --address alice@contoso.example \\",
                "      --display-name 'Alice Liddell' --alias al@contoso.example \\", "      --quota 2GB --password-stdin"})
final class MailboxNew extends ApiCommand {

    @Option(names = "--organization", paramLabel = "NAME|ID",
            description = "Default: the organization that has the address's domain as an accepted domain.")
    String organization;

    @Option(names = "--address", required = true, paramLabel = "ADDRESS", description = "The primary address.")
    String address;

    @Option(names = "--alias", paramLabel = "ADDRESS", description = "Another address of the mailbox (repeatable).")
    List<String> aliases;

    @Option(names = "--display-name", paramLabel = "NAME", description = "Default: the address's local part.")
    String displayName;

    @Option(names = "--quota", paramLabel = "SIZE", converter = Sizes.class,
            description = "Like 500MB or 2GB; unlimited (default) or 0 for no limit.")
    Long quota;

    @Mixin
    Passwords password;

    @Override
    protected int run() {
        Map<String, Object> body = MailboxCommand.body();
        body.put("organizationId", organizationId());
        body.put("address", address);
        MailboxCommand.putCommon(body, aliases, displayName, quota, password.value());
        printer().object(api().post(MailboxCommand.BASE, body), MailboxCommand.SHOWN);
        return 0;
    }

    private String organizationId() {
        if (organization != null) return Organizations.resolve(api(), organization);
        int at = address.lastIndexOf('@');
        String domain = at < 0 ? "" : address.substring(at + 1).toLowerCase(Locale.ROOT);
        Optional<JsonNode> accepted = api().list(DomainCommand.BASE, Map.of()).stream()
                .filter(d -> domain.equals(d.path("domainName").asText())).findFirst();
        return accepted.map(d -> d.path("organizationId").asText()).orElseGet(() -> Organizations.resolve(api(), null));
    }
}
