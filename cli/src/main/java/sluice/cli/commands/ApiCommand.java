package sluice.cli.commands;

import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sluice.cli.Environment;
import sluice.cli.http.Api;
import sluice.cli.output.Printer;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** A verb that talks to the admin API. Subclasses implement {@link #run}; output goes through {@link #printer}. */
public abstract class ApiCommand implements Callable<Integer> {

    @Mixin
    Context context;

    @ArgGroup(exclusive = false, validate = false, heading = "%nConnection and output:%n", order = 100)
    Connection connection;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
    boolean help;

    @Spec
    CommandSpec spec;

    private Api api;

    @Override
    public final Integer call() {
        return run();
    }

    /** @return the exit code: 0, or 1 when the command ran but the outcome is a failure (e.g. a failed validation) */
    protected abstract int run();

    protected Api api() {
        if (api == null) api = Connection.api(connection, env());
        return api;
    }

    protected Printer printer() {
        return new Printer(spec.commandLine().getOut(), Connection.format(connection));
    }

    protected PrintWriter err() {
        return spec.commandLine().getErr();
    }

    protected Environment env() {
        return context.env();
    }

    /** A usage error (exit code 2) found after parsing, e.g. two options that exclude each other. */
    protected CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
