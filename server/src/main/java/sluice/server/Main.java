package sluice.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sluice.cli.Cli;
import sluice.cli.Environment;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** The {@code sluice} command: {@code serve} runs a node; the admin commands talk to a running one. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "Sluice 0.1.0",
        description = "Open-source mail flow: receive, protect, route and deliver mail for your organizations.",
        subcommands = {Main.Serve.class})
public final class Main implements Callable<Integer> {

    public static void main(String[] args) {
        System.exit(commandLine(Environment.system()).execute(args));
    }

    /** The whole command tree: {@code serve}, the admin nouns of the CLI, {@code help}. */
    public static CommandLine commandLine(Environment env) {
        return Cli.install(new CommandLine(new Main(), Cli.factory(env)));
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = "Start a Sluice node (SMTP listener, queue, delivery, admin API).")
    static final class Serve implements Callable<Integer> {

        @Option(names = {"-c", "--config"}, defaultValue = "sluice.yaml", paramLabel = "FILE",
                description = "Node configuration (YAML). Default: ${DEFAULT-VALUE}; defaults apply when it does not exist.")
        Path config;

        @Override
        public Integer call() throws Exception {
            NodeConfig cfg;
            try {
                cfg = ConfigLoader.load(config, System.getenv());
            } catch (ConfigLoader.ConfigException e) {
                System.err.println("sluice: " + e.getMessage());
                return 2;
            }
            Node node;
            try {
                node = Node.start(cfg);
            } catch (ConfigLoader.ConfigException | Node.StartupException e) {
                System.err.println("sluice: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                node.close();
                stopped.countDown();
            }, "shutdown"));
            System.out.println(node.banner());
            stopped.await();
            return 0;
        }
    }
}
