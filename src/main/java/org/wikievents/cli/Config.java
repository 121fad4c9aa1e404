package org.wikievents.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when no flag gives it: the environment ({@code
 * WIKI_EVENTS_<OPTION>}, e.g. {@code WIKI_EVENTS_PORT}), then the config file ({@code --config
 * FILE} or {@code $WIKI_EVENTS_CONFIG}: Java properties whose keys are the long option names, bare
 * or under a command's section such as {@code run.port}), then the built-in default.
 */
final class Config implements IDefaultValueProvider {
  static final String FILE_ENV = "WIKI_EVENTS_CONFIG";
  static final String OPTION = "--config";

  private final Map<String, String> env;
  private Properties values = new Properties();
  private Path file;

  Config(Map<String, String> env) {
    this.env = env;
  }

  /** The environment variable that can give option {@code --name}. */
  static String envName(String key) {
    return "WIKI_EVENTS_" + key.toUpperCase(Locale.ROOT).replace('-', '_');
  }

  /**
   * Reads the file named by {@code --config} in {@code args}, else by {@code $WIKI_EVENTS_CONFIG},
   * and checks every key against the commands' options.
   */
  void load(String[] args, CommandSpec root) {
    String name = env.get(FILE_ENV);
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals(OPTION) && i + 1 < args.length) {
        name = args[i + 1];
      } else if (args[i].startsWith(OPTION + "=")) {
        name = args[i].substring(OPTION.length() + 1);
      }
    }
    if (name == null || name.isBlank()) {
      return;
    }
    Path f = Path.of(name);
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new ConfigException("no such config file: " + f);
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("cannot read the config file " + f + ": " + Cli.oneLine(e));
    }
    Map<String, Set<String>> keys = keysByCommand(root);
    Set<String> all = new HashSet<>();
    keys.values().forEach(all::addAll);
    for (String key : p.stringPropertyNames()) {
      int dot = key.indexOf('.');
      boolean known =
          dot < 0
              ? all.contains(key)
              : keys.getOrDefault(key.substring(0, dot), Set.of()).contains(key.substring(dot + 1));
      if (!known) {
        throw new ConfigException(
            f
                + ": unknown key '"
                + key
                + "' (keys are long option names, optionally command.name)");
      }
    }
    this.values = p;
    this.file = f;
  }

  private static Map<String, Set<String>> keysByCommand(CommandSpec root) {
    Map<String, Set<String>> keys = new HashMap<>();
    for (CommandLine sub : root.subcommands().values()) {
      CommandSpec spec = sub.getCommandSpec();
      Set<String> names = new HashSet<>();
      for (OptionSpec o : spec.options()) {
        String key = key(o);
        if (key != null) {
          names.add(key);
        }
      }
      keys.put(spec.name(), names);
    }
    return keys;
  }

  /** The key of an option in the file, or null for those a file cannot set (help, --config). */
  static String key(OptionSpec o) {
    if (o.usageHelp() || o.versionHelp()) {
      return null;
    }
    String name = o.longestName();
    if (!name.startsWith("--") || name.equals(OPTION)) {
      return null;
    }
    return name.substring(2);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    Source s = source(arg);
    return s == null ? null : s.value;
  }

  /** Where a value without a flag comes from, and the value; null for the built-in default. */
  Source source(ArgSpec arg) {
    if (!(arg instanceof OptionSpec o) || key(o) == null) {
      return null;
    }
    String key = key(o);
    String fromEnv = env.get(envName(key));
    if (fromEnv != null) {
      return new Source("environment " + envName(key), fromEnv);
    }
    CommandSpec command = o.command();
    String section = command == null ? null : command.name();
    if (section != null && values.getProperty(section + "." + key) != null) {
      return new Source(
          file + " [" + section + "." + key + "]", values.getProperty(section + "." + key));
    }
    if (values.getProperty(key) != null) {
      return new Source(file + " [" + key + "]", values.getProperty(key));
    }
    return null;
  }

  record Source(String where, String value) {}

  /** A config file that cannot be used: one line, exit code 2. */
  static final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConfigException(String message) {
      super(message);
    }
  }
}
