package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.CliException;
import sluice.cli.output.Column;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** {@code sluice user}: administrator accounts (who may log in to the admin center and own API tokens). */
@Command(name = "user",
        description = "Administrator accounts: list, get, new, set, remove, set-password.",
        subcommands = {UserCommand.ListVerb.class, UserCommand.GetVerb.class, UserCommand.NewVerb.class,
                UserCommand.SetVerb.class, UserCommand.RemoveVerb.class, UserCommand.SetPasswordVerb.class})
public final class UserCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/users";
    static final String WHAT = "user";

    /** The roles, as the API names them. */
    enum RoleName { GlobalAdmin, OrgAdmin, Helpdesk }

    static List<Column> columns(Map<String, String> organizations) {
        return List.of(Column.of("Username", "username"), Column.of("DisplayName", "displayName"), Column.of("Role", "role"),
                new Column("Organizations", n -> String.join(", ", organizationNames(n.path("organizationIds"), organizations))),
                Column.flag("Enabled", "enabled"), Column.flag("PasswordSet", "passwordSet"), Column.of("Id", "id"));
    }

    private static List<String> organizationNames(JsonNode ids, Map<String, String> organizations) {
        List<String> names = new ArrayList<>();
        ids.forEach(id -> names.add(organizations.getOrDefault(id.asText(), id.asText())));
        return names;
    }

    /** How one user reads as properties: organization names, not ids. */
    static Map<String, Function<JsonNode, String>> shown(Map<String, String> organizations) {
        return Map.of("organizationIds", ids -> String.join(", ", organizationNames(ids, organizations)));
    }

    static JsonNode find(ApiCommand c, String identity) {
        return Identity.find(c.api(), BASE, "username", WHAT, identity);
    }

    /**
     * The organization ids for {@code role} (names or ids given), checked here so the message names the
     * options: a GlobalAdmin has none, the other roles at least one.
     */
    static List<String> organizationIds(ApiCommand c, RoleName role, List<String> organizations) {
        List<String> given = organizations == null ? List.of() : organizations.stream().filter(o -> !o.isBlank()).toList();
        if (role == RoleName.GlobalAdmin && !given.isEmpty())
            throw new CliException("a GlobalAdmin administers every organization: do not give organizations");
        if (role != RoleName.GlobalAdmin && given.isEmpty())
            throw new CliException("--role " + role + " needs at least one --organization NAME|ID (the organizations it administers)");
        List<String> ids = new ArrayList<>();
        for (String o : given) {
            String id = Identity.id(c.api(), Organizations.BASE, "name", "organization", o);
            if (!ids.contains(id)) ids.add(id);
        }
        return ids;
    }

    private static void show(ApiCommand c, JsonNode user) {
        c.printer().object(user, c.printer().json() ? Map.of() : shown(Organizations.names(c.api())));
    }

    @Command(name = "list", description = "List the administrator accounts you can see.")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Only the accounts of this organization.")
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

    @Command(name = "get", description = "Show one administrator account.",
            footer = "%nExample: sluice user get alice")
    static final class GetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Username or id.")
        String identity;

        @Override
        protected int run() {
            show(this, find(this, identity));
            return 0;
        }
    }

    @Command(name = "new", abbreviateSynopsis = true, description = "Create an administrator account.",
            footer = {"%nExamples:", "  echo \"$PASSWORD\" | sluice user new --username alice \\",
                    "      --display-name 'Alice Liddell' --role OrgAdmin --organization Contoso \\", "      --password-stdin",
                    "  sluice user new --username ops --role GlobalAdmin --password   # asks for it"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--username", required = true, paramLabel = "NAME", description = "The login name, unique on this server.")
        String username;

        @Option(names = "--display-name", paramLabel = "NAME", description = "The name the admin center shows.")
        String displayName;

        @Option(names = "--role", required = true, paramLabel = "ROLE",
                description = "GlobalAdmin (every organization), OrgAdmin or Helpdesk (the --organization ones).")
        RoleName role;

        @Option(names = "--organization", paramLabel = "NAME|ID",
                description = "An organization the account administers (repeatable; at least one unless --role GlobalAdmin).")
        List<String> organizations;

        @Mixin
        Passwords password;

        @Override
        protected int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("username", username);
            if (displayName != null) body.put("displayName", displayName);
            body.put("role", role.name());
            body.put("organizationIds", organizationIds(this, role, organizations));
            String pw = password.value();
            if (pw != null) body.put("password", pw);
            JsonNode created = api().post(BASE, body);
            show(this, created);
            if (pw == null) printer().say("No password set: the account cannot log in until 'sluice user set-password "
                    + created.path("username").asText() + " --password'.");
            return 0;
        }
    }

    @Command(name = "set", abbreviateSynopsis = true, description = "Change an administrator account.",
            footer = {"%nExamples:", "  sluice user set alice --role Helpdesk --add-organization Fabrikam",
                    "  sluice user set alice --disabled"})
    static final class SetVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Username or id.")
        String identity;

        @Option(names = "--username", paramLabel = "NAME", description = "A new login name.")
        String username;

        @Option(names = "--display-name", paramLabel = "NAME", description = "A new display name.")
        String displayName;

        @Option(names = "--role", paramLabel = "ROLE", description = "GlobalAdmin, OrgAdmin or Helpdesk.")
        RoleName role;

        @Option(names = "--organization", paramLabel = "NAME|ID", description = "Replace the organizations with these (repeatable).")
        List<String> organizations;

        @Option(names = "--add-organization", paramLabel = "NAME|ID", description = "Add an organization (repeatable).")
        List<String> add;

        @Option(names = "--remove-organization", paramLabel = "NAME|ID", description = "Remove an organization (repeatable).")
        List<String> remove;

        @Option(names = "--enabled", description = "Let the account log in and its API tokens work.")
        boolean enabled;

        @Option(names = "--disabled", description = "Stop the account: no logins, its API tokens refused.")
        boolean disabled;

        @Override
        protected int run() {
            if (organizations != null && (add != null || remove != null))
                throw usage("--organization replaces the organizations; do not combine it with --add-organization or --remove-organization");
            if (enabled && disabled) throw new CliException("give either --enabled or --disabled, not both");
            JsonNode current = find(this, identity);
            Map<String, Object> body = new LinkedHashMap<>();
            if (username != null) body.put("username", username);
            if (displayName != null) body.put("displayName", displayName);
            if (role != null) body.put("role", role.name());
            if (enabled || disabled) body.put("enabled", enabled);
            List<String> orgs = newOrganizations(current);
            if (orgs != null || role != null) {
                RoleName effective = role != null ? role : roleOf(current);
                if (orgs == null) orgs = effective == RoleName.GlobalAdmin ? List.of() : ids(current);
                body.put("organizationIds", organizationIds(this, effective, orgs));
            }
            show(this, api().patch(BASE + "/" + current.path("id").asText(), body));
            return 0;
        }

        private static RoleName roleOf(JsonNode user) {
            String r = user.path("role").asText();
            for (RoleName n : RoleName.values()) if (n.name().equalsIgnoreCase(r)) return n;
            throw new CliException("unknown role '" + r + "' of user " + user.path("username").asText() + ": give --role");
        }

        private static List<String> ids(JsonNode user) {
            List<String> out = new ArrayList<>();
            user.path("organizationIds").forEach(id -> out.add(id.asText()));
            return out;
        }

        private List<String> newOrganizations(JsonNode current) {
            if (organizations != null) return organizations;
            if (add == null && remove == null) return null;
            List<String> out = ids(current);
            if (remove != null)
                for (String r : remove) out.remove(Identity.id(api(), Organizations.BASE, "name", "organization", r));
            if (add != null) out.addAll(add);
            return out;
        }
    }

    @Command(name = "remove", description = "Delete an administrator account and its API tokens.")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Username or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode u = find(this, identity);
            api().delete(BASE + "/" + u.path("id").asText());
            printer().say("Removed user " + u.path("username").asText() + " (" + u.path("id").asText() + ").");
            return 0;
        }
    }

    @Command(name = "set-password", abbreviateSynopsis = true,
            description = "Set an account's password (changing your own needs the current one too).",
            footer = {"%nExamples:", "  echo \"$PASSWORD\" | sluice user set-password alice --password-stdin",
                    "  sluice user set-password alice --password        # asks for it, not echoed"})
    static final class SetPasswordVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Username or id.")
        String identity;

        @Mixin
        Passwords password;

        @Option(names = "--current-password", arity = "0..1", interactive = true, prompt = "Current password: ",
                paramLabel = "PASSWORD", description = "Your current password, when changing your own; alone, you are asked for it.")
        char[] current;

        @Override
        protected int run() {
            String pw = password.value();
            if (pw == null) throw new CliException("give the new password: --password-stdin, or --password to be asked for it");
            JsonNode u = find(this, identity);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("password", pw);
            if (current != null) body.put("currentPassword", new String(current));
            api().post(BASE + "/" + u.path("id").asText() + "/password", body);
            printer().say("Set the password of user " + u.path("username").asText() + ".");
            return 0;
        }
    }
}
