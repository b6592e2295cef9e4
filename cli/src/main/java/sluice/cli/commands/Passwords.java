package sluice.cli.commands;

import picocli.CommandLine.Option;
import sluice.cli.CliException;
import sluice.cli.Environment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * A password (of a mailbox or an administrator): {@code --password-stdin} (the first line of standard input; best for scripts),
 * or {@code --password} alone to be asked for it without echo. Never printed.
 */
public final class Passwords {

    private final Environment env;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean fromStdin;

    @Option(names = "--password", arity = "0..1", interactive = true, prompt = "Password: ", paramLabel = "PASSWORD",
            description = "Set a password; alone, you are asked for it (not echoed). For scripts, prefer --password-stdin.")
    char[] typed;

    public Passwords(Environment env) {
        this.env = env;
    }

    /** The password given, or null for none. */
    String value() {
        return read(fromStdin, typed, env);
    }

    /** The password from standard input or as typed (prompted); null when neither option was given. */
    static String read(boolean fromStdin, char[] typed, Environment env) {
        if (fromStdin && typed != null) throw new CliException("give either --password or --password-stdin, not both");
        if (typed != null) return new String(typed);
        if (!fromStdin) return null;
        try {
            String line = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) throw new CliException("--password-stdin: standard input has no password");
            return line;
        } catch (IOException e) {
            throw new CliException("--password-stdin: cannot read standard input: " + e.getMessage());
        }
    }
}
