package sluice.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sluice.cli.CliException;
import sluice.cli.http.Api;
import sluice.cli.output.Column;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code sluice token}: API tokens for automation; each acts as the user that created it. */
@Command(name = "token",
        description = "API tokens (each acts as its user, with that user's role): list, new, remove.",
        subcommands = {TokenCommand.ListVerb.class, TokenCommand.NewVerb.class, TokenCommand.RemoveVerb.class})
public final class TokenCommand {

    @picocli.CommandLine.Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    static final String BASE = "/tokens";
    static final String WHAT = "API token";

    static final List<Column> COLUMNS = List.of(Column.of("Name", "name"), Column.of("User", "username"),
            Column.time("Created", "createdAt"), new Column("Expires", n -> n.path("expiresAt").isNull() ? "Never"
                    : sluice.cli.output.Formats.time(n.path("expiresAt").asText(null))), Column.of("Id", "id"));

    @Command(name = "list", description = "List your API tokens (or another user's, or all of them).")
    static final class ListVerb extends ApiCommand {
        @Option(names = "--user", paramLabel = "USERNAME|ID", description = "The tokens of this user (one you manage).")
        String user;

        @Option(names = "--all", description = "Every user's tokens (global administrators).")
        boolean all;

        @Override
        protected int run() {
            if (all && user != null) throw usage("give either --user or --all, not both");
            Map<String, Object> query = new LinkedHashMap<>();
            if (user != null) query.put("userId", Identity.id(api(), UserCommand.BASE, "username", UserCommand.WHAT, user));
            if (all) query.put("all", true);
            printer().list(api().get(BASE, query), COLUMNS);
            return 0;
        }
    }

    @Command(name = "new", abbreviateSynopsis = true,
            description = {"Create an API token for yourself; its secret is shown once.",
                    "Tokens belong to users: with the bootstrap admin token, log in as the user with --username."},
            footer = {"%nExamples:", "  sluice token new --name ci --expires-at 90d",
                    "  echo \"$PASSWORD\" | sluice token new --name ci --username alice \\", "      --password-stdin"})
    static final class NewVerb extends ApiCommand {
        @Option(names = "--name", required = true, paramLabel = "NAME", description = "What the token is for (1 to 100 characters).")
        String name;

        @Option(names = "--expires-at", paramLabel = "TIME", converter = Times.Future.class,
                description = "2026-01-31T00:00:00Z, 2026-01-31, or a time from now (12h, 90d, 52w). Default: never.")
        Instant expiresAt;

        @Option(names = "--username", paramLabel = "USERNAME",
                description = "Log in as this user (with its password) and create the token for it.")
        String username;

        @Option(names = "--password-stdin", description = "Read the --username's password from the first line of standard input.")
        boolean passwordFromStdin;

        @Option(names = "--password", arity = "0..1", interactive = true, prompt = "Password: ", paramLabel = "PASSWORD",
                description = "The --username's password; alone, you are asked for it (not echoed). For scripts, prefer --password-stdin.")
        char[] typedPassword;

        @Override
        protected int run() {
            String pw = Passwords.read(passwordFromStdin, typedPassword, env());
            if (pw != null && username == null) throw usage("a password is only for logging in with --username");
            Api as = api();
            if (username != null) {
                if (pw == null) throw new CliException("--username " + username + " needs its password: --password-stdin, or --password to be asked for it");
                as = api().login(username, pw);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            if (expiresAt != null) body.put("expiresAt", expiresAt.toString());
            if (username != null) body.put("currentPassword", pw); // a session makes a token only with the password
            JsonNode created = as.post(BASE, body);
            if (printer().json()) {
                printer().printJson(created);
                return 0;
            }
            Map<String, String> lines = new LinkedHashMap<>();
            lines.put("Name", created.path("name").asText());
            lines.put("User", created.path("username").asText());
            lines.put("Expires", created.path("expiresAt").isNull() ? "Never" : sluice.cli.output.Formats.time(created.path("expiresAt").asText()));
            lines.put("Id", created.path("id").asText());
            lines.put("Secret", created.path("secret").asText());
            printer().properties(lines);
            printer().say("");
            printer().say("Store the secret now; it is not shown again. Use it as --token or $SLUICE_TOKEN.");
            return 0;
        }
    }

    @Command(name = "remove", description = "Revoke an API token: requests with it are refused from now on.",
            footer = "%nExample: sluice token remove ci")
    static final class RemoveVerb extends ApiCommand {
        @Parameters(paramLabel = "IDENTITY", description = "Name (of one of your tokens) or id.")
        String identity;

        @Override
        protected int run() {
            JsonNode t = Identity.find(api(), BASE, "name", WHAT, identity);
            api().delete(BASE + "/" + t.path("id").asText());
            printer().say("Removed API token " + t.path("name").asText() + " (" + t.path("id").asText() + ").");
            return 0;
        }
    }
}
