package sluice.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the commands read from the outside world besides their arguments: environment variables,
 * standard input (for {@code --password-stdin}) and the working directory (for {@code ./data/admin-token}).
 * Tests pass their own, so a developer's SLUICE_TOKEN cannot leak into them.
 *
 * @param interactive whether a person is watching: standard input and output are a terminal ({@code System.console()},
 *                    null when either is redirected). Progress lines are redrawn in place, and text meant to be
 *                    exact (an exported file) is escaped for the terminal, only then
 */
public record Environment(Map<String, String> variables, InputStream stdin, Path workDir, boolean interactive) {

    public Environment {
        variables = Map.copyOf(variables);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(workDir, "workDir");
    }

    public static Environment system() {
        return new Environment(System.getenv(), System.in, Path.of("").toAbsolutePath(), System.console() != null);
    }

    public String variable(String name) {
        String v = variables.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
