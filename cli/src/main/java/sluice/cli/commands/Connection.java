package sluice.cli.commands;

import picocli.CommandLine.Option;
import sluice.cli.CliException;
import sluice.cli.Environment;
import sluice.cli.http.Api;
import sluice.cli.output.Printer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The options every verb takes (where the API is, the token, the output format), shown in their own
 * section of the help. Picocli leaves an option group null when none of its options is given, so
 * the defaults are applied in {@link #api} and {@link #format}, not in the fields.
 */
public final class Connection {

    static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

    @Option(names = "--server", paramLabel = "URL",
            description = "The Sluice admin API. Default: $SLUICE_URL, else " + DEFAULT_SERVER + ".")
    String server;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "The admin API token. Default: $SLUICE_TOKEN, else $SLUICE_ADMIN_TOKEN, else ./data/admin-token.")
    String token;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT",
            description = "table (default) or json (the API's JSON, for scripts).")
    Printer.Format output;

    static Printer.Format format(Connection c) {
        return c == null || c.output == null ? Printer.Format.table : c.output;
    }

    static Api api(Connection c, Environment env) {
        String server = c != null && c.server != null ? c.server : env.variable("SLUICE_URL");
        return new Api(server != null ? server : DEFAULT_SERVER, token(c, env));
    }

    private static String token(Connection c, Environment env) {
        if (c != null && c.token != null) {
            if (c.token.isBlank()) throw new CliException("--token is empty");
            return c.token.strip();
        }
        String t = env.variable("SLUICE_TOKEN");
        if (t == null) t = env.variable("SLUICE_ADMIN_TOKEN");
        if (t != null) return t.strip();
        Path file = env.workDir().resolve("data").resolve("admin-token");
        if (!Files.isReadable(file)) return null;
        try {
            String s = Files.readString(file).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException e) {
            return null;
        }
    }
}
