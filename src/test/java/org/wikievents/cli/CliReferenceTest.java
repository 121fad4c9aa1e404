package org.wikievents.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/cli.md is every command's --help, generated from the commands themselves; the README's
 * tables of commands and options agree with them. Adding an option needs nothing here but a
 * regenerated docs/cli.md; the failure messages say how.
 */
class CliReferenceTest {
  static final Path REFERENCE = Path.of("docs", "cli.md");
  static final Path README = Path.of("README.md");
  static final String WRITE = "cli-reference";
  static final String REGENERATE =
      "mvn -q test -Dtest=CliReferenceTest -D"
          + WRITE
          + "=write -Dsurefire.failIfNoSpecifiedTests=false";

  @Test
  void docsCliMdIsTheCommandsHelp() throws IOException {
    String generated = reference();
    if ("write".equals(System.getProperty(WRITE))) {
      Files.writeString(REFERENCE, generated, StandardCharsets.UTF_8);
    }
    String current =
        Files.exists(REFERENCE) ? Files.readString(REFERENCE, StandardCharsets.UTF_8) : "";
    assertThat(current)
        .as(
            "%s is not the commands' current --help. Regenerate it (and commit it) with:%n  %s",
            REFERENCE, REGENERATE)
        .isEqualTo(generated);
  }

  @Test
  void theReadmesCommandTableNamesEveryCommand() throws IOException {
    TreeSet<String> commands = new TreeSet<>(commands().keySet());
    TreeSet<String> inReadme = new TreeSet<>();
    for (String row : tableRows("## Commands")) {
      Matcher m = Pattern.compile("^\\| `([a-z-]+)[ `]").matcher(row);
      if (m.find()) {
        inReadme.add(m.group(1));
      }
    }
    assertThat(inReadme)
        .as(
            "README.md's table under '## Commands' must have one row per command, starting"
                + " with | `command` | (commands: %s)",
            commands)
        .isEqualTo(commands);
  }

  @Test
  void theReadmesOptionTableAgreesWithTheCommands() throws IOException {
    Map<String, OptionSpec> options = new LinkedHashMap<>();
    commands()
        .values()
        .forEach(
            c ->
                c.getCommandSpec().options().forEach(o -> options.putIfAbsent(o.longestName(), o)));
    List<String> rows = tableRows("## Options");
    assertThat(rows).as("README.md has a table under '## Options'").isNotEmpty();
    Pattern row = Pattern.compile("^\\| `(--[a-z-]+)[^`]*` \\| ([^|]*) \\|");
    for (String r : rows) {
      Matcher m = row.matcher(r);
      if (!m.find()) {
        continue;
      }
      String name = m.group(1);
      String readmeDefault = m.group(2).strip().replace("`", "");
      assertThat(options)
          .as("README.md's option table lists %s, which no command has: remove its row", name)
          .containsKey(name);
      String actual = options.get(name).defaultValue();
      if (actual == null) {
        assertThat(readmeDefault)
            .as("README.md's option table gives %s a default; it has none: write —", name)
            .matches("—|\\$[A-Z_]+");
      } else if (!actual.startsWith("${env:")) {
        assertThat(readmeDefault)
            .as(
                "README.md's option table gives %s the default '%s'; the commands' is '%s': fix"
                    + " the row",
                name, readmeDefault, actual)
            .isEqualTo(actual);
      }
    }
  }

  /** The commands by name, without picocli's help command. */
  private static Map<String, CommandLine> commands() {
    Map<String, CommandLine> commands = new LinkedHashMap<>(Cli.commandLine().getSubcommands());
    commands.remove("help");
    return commands;
  }

  /** The rows of the first table after {@code heading} in the README. */
  private static List<String> tableRows(String heading) throws IOException {
    List<String> lines = Files.readAllLines(README, StandardCharsets.UTF_8);
    int start = lines.indexOf(heading);
    assertThat(start).as("README.md has a '%s' section", heading).isNotNegative();
    return lines.subList(start + 1, lines.size()).stream()
        .dropWhile(l -> !l.startsWith("|"))
        .takeWhile(l -> l.startsWith("|"))
        .skip(2)
        .toList();
  }

  static String reference() {
    CommandLine cl = Cli.commandLine();
    StringBuilder sb = new StringBuilder();
    sb.append("# Command reference\n\n")
        .append("Every command's `--help`, as the commands print it. Generated: do not edit; after")
        .append(" changing a command or option run\n`")
        .append(REGENERATE)
        .append("`\n(CliReferenceTest fails while this file is stale).\n\n")
        .append(
            "Bad flags, paths, URLs or queries: one line and exit code 2. Failures at run time:")
        .append(" exit code 1.\n\n");
    sb.append("- [wiki-events](#wiki-events)\n");
    commands()
        .keySet()
        .forEach(n -> sb.append("- [").append(n).append("](#wiki-events-").append(n).append(")\n"));
    sb.append("\n## wiki-events\n\n```\n").append(usage(cl)).append("```\n");
    commands()
        .forEach(
            (name, sub) ->
                sb.append("\n## wiki-events ")
                    .append(name)
                    .append("\n\n```\n")
                    .append(usage(sub))
                    .append("```\n"));
    return sb.toString();
  }

  private static String usage(CommandLine cl) {
    return cl.getUsageMessage(CommandLine.Help.Ansi.OFF).replace("\r\n", "\n");
  }
}
