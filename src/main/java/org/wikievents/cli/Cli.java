package org.wikievents.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.wikievents.store.NewerStoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: picocli, with one-line errors instead of stack traces. */
@Command(
    name = "wiki-events",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "Watches every Wikimedia wiki in real time.",
    subcommands = {
      RunCommand.class,
      DashboardCommand.class,
      ReplayCommand.class,
      RecordCommand.class,
      ReaderCommand.class,
      LoaderCommand.class,
      SqlCommand.class,
      ExportCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Cli implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      scope = CommandLine.ScopeType.INHERIT,
      converter = Logging.LevelConverter.class,
      description = "error, warn, info (default), debug or trace.")
  void logLevel(String level) {
    Logging.level(level);
  }

  @CommandLine.Option(
      names = Config.OPTION,
      paramLabel = "FILE",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Settings file (Java properties: long option names as keys, bare or as command.name);"
              + " default: $"
              + Config.FILE_ENV
              + ". Flags win over the environment (WIKI_EVENTS_<OPTION>), which wins over the"
              + " file.")
  void config(String file) {
    // Read before parsing, by commandLine(): the file supplies the other options' defaults.
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static int execute(String... args) {
    Logging.defaults();
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** The command line with {@code env} as the environment options and the config file come from. */
  static CommandLine commandLine(Map<String, String> env) {
    Config config = new Config(env);
    CommandLine cl =
        new CommandLine(new Cli()) {
          @Override
          public int execute(String... args) {
            try {
              config.load(args, getCommandSpec());
            } catch (Config.ConfigException e) {
              getErr().println("wiki-events: " + e.getMessage());
              return 2;
            }
            return super.execute(args);
          }
        };
    cl.setDefaultValueProvider(config);
    Environment.addSection(cl);
    // The platform charset may be ASCII (POSIX locale); titles and names are not.
    cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("wiki-events: " + ex.getMessage());
          err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          return 2;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("wiki-events: " + oneLine(ex));
          if (System.getenv(Environment.DEBUG) != null) {
            ex.printStackTrace(commandLine.getErr());
          }
          // What the user gave was wrong (a flag's value, a path, a URL, a query), or the store is
          // of a newer program: a usage error, nothing ran.
          return ex instanceof IllegalArgumentException || ex instanceof NewerStoreException
              ? 2
              : 1;
        });
    return cl;
  }

  static String oneLine(Throwable t) {
    String msg = t.getMessage();
    if (msg == null || msg.isBlank()) {
      msg = t.getClass().getSimpleName();
    }
    return msg.lines().findFirst().orElse(msg).strip();
  }
}
