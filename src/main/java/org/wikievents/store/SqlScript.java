package org.wikievents.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL kept in resource files ({@code /sql/<dialect>/<name>.sql}), one or more statements each,
 * separated by a {@code ;} at the end of a line. Comment lines ({@code --}) are dropped.
 */
public final class SqlScript {
  private SqlScript() {}

  public static List<String> statements(String dialect, String name) {
    String path = "/sql/" + dialect + "/" + name + ".sql";
    try (InputStream in = SqlScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing SQL resource " + path);
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      List<String> statements = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : text.split("\n", -1)) {
        if (line.strip().startsWith("--")) {
          continue;
        }
        current.append(line).append('\n');
        if (line.strip().endsWith(";")) {
          addIfNotBlank(statements, current);
          current.setLength(0);
        }
      }
      addIfNotBlank(statements, current);
      return List.copyOf(statements);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A resource that holds exactly one statement. */
  public static String statement(String dialect, String name) {
    List<String> all = statements(dialect, name);
    if (all.size() != 1) {
      throw new IllegalStateException(name + " must hold one statement, holds " + all.size());
    }
    return all.get(0);
  }

  private static void addIfNotBlank(List<String> statements, StringBuilder sql) {
    String s = sql.toString().strip();
    if (s.endsWith(";")) {
      s = s.substring(0, s.length() - 1).strip();
    }
    if (!s.isEmpty()) {
      statements.add(s);
    }
  }
}
