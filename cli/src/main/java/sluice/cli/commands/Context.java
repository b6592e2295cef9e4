package sluice.cli.commands;

import picocli.CommandLine.Command;
import sluice.cli.Environment;

/** Hands the {@link Environment} to a command: picocli creates mixins with the factory, which passes it in. */
@Command
public final class Context {

    private final Environment env;

    public Context(Environment env) {
        this.env = env;
    }

    Environment env() {
        return env;
    }
}
