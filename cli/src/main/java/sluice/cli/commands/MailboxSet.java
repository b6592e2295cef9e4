package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code sluice mailbox set}. */
@Command(name = "set", abbreviateSynopsis = true, description = "Change a mailbox: address, aliases, name, quota, password.",
        footer = {"%nExamples:", "  sluice mailbox set alice@contoso.example --add-alias alice.l@contoso.example",
                "  sluice mailbox set alice@contoso.example --password     (asks for it)"})
final class MailboxSet extends ApiCommand {

    @Parameters(paramLabel = "IDENTITY", description = "Primary address or id.")
    String identity;

    @Option(names = "--address", paramLabel = "ADDRESS", description = "A new primary address.")
    String address;

    @Option(names = "--alias", paramLabel = "ADDRESS", description = "Replace the aliases with these (repeatable; --alias '' for none).")
    List<String> aliases;

    @Option(names = "--add-alias", paramLabel = "ADDRESS", description = "Add an alias (repeatable).")
    List<String> add;

    @Option(names = "--remove-alias", paramLabel = "ADDRESS", description = "Remove an alias (repeatable).")
    List<String> remove;

    @Option(names = "--display-name", paramLabel = "NAME", description = "A new display name.")
    String displayName;

    @Option(names = "--quota", paramLabel = "SIZE", converter = Sizes.class, description = "Like 500MB or 2GB; unlimited or 0 for no limit.")
    Long quota;

    @Mixin
    Passwords password;

    @Override
    protected int run() {
        if (aliases != null && (add != null || remove != null))
            throw usage("--alias replaces the aliases; do not combine it with --add-alias or --remove-alias");
        JsonNode current = Identity.find(api(), MailboxCommand.BASE, "address", MailboxCommand.WHAT, identity);
        Map<String, Object> body = MailboxCommand.body();
        if (address != null) body.put("address", address);
        MailboxCommand.putCommon(body, newAliases(current), displayName, quota, password.value());
        printer().object(api().patch(MailboxCommand.BASE + "/" + current.path("id").asText(), body), MailboxCommand.SHOWN);
        return 0;
    }

    private List<String> newAliases(JsonNode current) {
        if (aliases != null) return aliases.stream().filter(a -> !a.isBlank()).toList();
        if (add == null && remove == null) return null;
        List<String> out = new ArrayList<>();
        current.path("aliases").forEach(a -> out.add(a.asText()));
        if (remove != null) {
            List<String> gone = remove.stream().map(r -> r.strip().toLowerCase(Locale.ROOT)).toList();
            out.removeIf(a -> gone.contains(a.toLowerCase(Locale.ROOT)));
        }
        if (add != null) out.addAll(add);
        return out;
    }
}
