package sluice.cli;

import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import sluice.cli.commands.AuditCommand;
import sluice.cli.commands.ConnectorCommand;
import sluice.cli.commands.DkimCommand;
import sluice.cli.commands.DomainCommand;
import sluice.cli.commands.MailboxCommand;
import sluice.cli.commands.OrganizationCommand;
import sluice.cli.commands.PolicyCommand;
import sluice.cli.commands.QuarantineCommand;
import sluice.cli.commands.RuleCommand;
import sluice.cli.commands.QueueCommand;
import sluice.cli.commands.StatsCommand;
import sluice.cli.commands.TokenCommand;
import sluice.cli.commands.TraceCommand;
import sluice.cli.commands.UserCommand;
import sluice.cli.config.ConfigCommand;
import sluice.cli.output.Terminal;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.List;

/**
 * Puts the admin nouns under a root command ({@code sluice}, next to {@code serve}) and makes errors
 * read well: a {@link CliException} is one message and exit code 1, a usage error the message, a
 * hint and exit code 2, and nothing ever prints a stack trace.
 */
public final class Cli {

    /** The nouns, in the order {@code sluice --help} lists them. */
    public static final List<Class<?>> NOUNS = List.of(OrganizationCommand.class, DomainCommand.class, MailboxCommand.class,
            ConnectorCommand.class, RuleCommand.class, PolicyCommand.class, DkimCommand.class, TraceCommand.class, QueueCommand.class,
            QuarantineCommand.class, UserCommand.class, TokenCommand.class, AuditCommand.class, StatsCommand.class,
            ConfigCommand.class);

    private Cli() {
    }

    /** Creates commands and options holders, giving those that ask for it (a constructor taking one) the environment. */
    public static IFactory factory(Environment env) {
        IFactory fallback = CommandLine.defaultFactory();
        return new IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                Constructor<K> withEnv;
                try {
                    withEnv = cls.getDeclaredConstructor(Environment.class);
                } catch (NoSuchMethodException e) {
                    return fallback.create(cls);
                }
                withEnv.setAccessible(true);
                return withEnv.newInstance(env);
            }
        };
    }

    /** Adds the nouns and {@code help} to {@code root} (made with {@link #factory}) and installs the error handling. */
    public static CommandLine install(CommandLine root) {
        for (Class<?> noun : NOUNS) root.addSubcommand(noun);
        root.addSubcommand("help", new CommandLine.HelpCommand());
        root.setCaseInsensitiveEnumValuesAllowed(true);
        root.setUsageHelpAutoWidth(true);
        root.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            // messages echo server text (problem details, names): shown, never obeyed by the terminal
            if (e instanceof CliException) err.println("sluice: " + Terminal.lines(e.getMessage()));
            else err.println("sluice: unexpected error: " + Terminal.lines(String.valueOf(e)));
            err.flush();
            return 1;
        });
        root.setParameterExceptionHandler((e, args) -> {
            CommandLine cl = e.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println("sluice: " + Terminal.lines(e.getMessage()));
            if (e.getMessage() != null && e.getMessage().startsWith("Missing required subcommand")) {
                cl.usage(err);
            } else {
                CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
                err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help'.");
            }
            err.flush();
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        });
        return root;
    }
}
