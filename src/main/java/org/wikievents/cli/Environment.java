package org.wikievents.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The "Environment:" section of every command's help: the variables its options read, found in
 * their descriptions (so an option that mentions one lists it without anything else to keep in
 * step), and {@link #DEBUG}, which every command reads.
 */
final class Environment {
  static final String DEBUG = "WIKI_EVENTS_DEBUG";
  private static final String SECTION = "environment";
  private static final Pattern VARIABLE = Pattern.compile("WIKI_EVENTS_[A-Z0-9_]+");

  private Environment() {}

  /** Adds the section to {@code cl} and (picocli passes these settings on) its subcommands. */
  static void addSection(CommandLine cl) {
    List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
    keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), SECTION);
    cl.setHelpSectionKeys(keys);
    Map<String, CommandLine.IHelpSectionRenderer> sections =
        new LinkedHashMap<>(cl.getHelpSectionMap());
    sections.put(SECTION, help -> render(variables(help.commandSpec())));
    cl.setHelpSectionMap(sections);
  }

  /** Each variable the command reads, with the option that reads it. */
  static Map<String, String> variables(CommandLine.Model.CommandSpec spec) {
    Map<String, String> vars = new java.util.TreeMap<>();
    for (OptionSpec option : spec.options()) {
      for (String line : option.description()) {
        Matcher m = VARIABLE.matcher(line);
        while (m.find()) {
          vars.putIfAbsent(m.group(), "read by " + option.longestName());
        }
      }
    }
    Map<String, String> all = new LinkedHashMap<>(vars);
    all.put(DEBUG, "set (to anything) to print the stack trace of an error");
    return all;
  }

  private static String render(Map<String, String> vars) {
    int width = vars.keySet().stream().mapToInt(String::length).max().orElse(0);
    StringBuilder sb = new StringBuilder("%nEnvironment:%n".formatted());
    vars.forEach(
        (name, what) ->
            sb.append("  ")
                .append(name)
                .append(" ".repeat(width - name.length() + 2))
                .append(what)
                .append(System.lineSeparator()));
    return sb.toString();
  }
}
