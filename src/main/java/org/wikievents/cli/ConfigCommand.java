package org.wikievents.cli;

import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What a command would run with, and where each value comes from; secrets masked. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Prints the settings COMMAND would use without flags, each with where it comes from"
          + " (environment, config file or default). Passwords are masked.",
      "The output is a valid config file."
    })
final class ConfigCommand implements Callable<Integer> {
  /** Options whose values carry a password. */
  static final Set<String> SECRETS = Set.of("amqp-uri", "clickhouse", "auth");

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "COMMAND", defaultValue = "run", description = "Default: run.")
  String command;

  @Override
  public Integer call() {
    CommandLine target = spec.parent().subcommands().get(command);
    if (target == null || target.getCommandSpec() == spec) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "'" + command + "' is not a command with settings");
    }
    Config config = (Config) spec.commandLine().getDefaultValueProvider();
    PrintWriter out = spec.commandLine().getOut();
    out.println("# " + command + ": flag > environment > config file > default");
    for (OptionSpec o : target.getCommandSpec().options()) {
      String key = Config.key(o);
      if (key == null) {
        continue;
      }
      Config.Source s = config.source(o);
      String value = s != null ? s.value() : o.defaultValue();
      String where = s != null ? s.where() : "default";
      if (value == null) {
        out.println("# " + key + " =   (not set)");
        continue;
      }
      out.println(key + " = " + (SECRETS.contains(key) ? mask(value) : value) + "   # " + where);
    }
    return 0;
  }

  /** {@code user:password} and URIs with a password keep the user and hide the password. */
  static String mask(String value) {
    int scheme = value.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = value.indexOf('@', start);
    int end = at < 0 ? value.length() : at;
    int colon = value.indexOf(':', start);
    if (colon < 0 || colon > end || (scheme < 0 && at >= 0)) {
      return value;
    }
    return value.substring(0, colon + 1) + "****" + value.substring(end);
  }
}
