package org.wikievents.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written with named parameters ({@code :wiki}), turned into JDBC's positional {@code
 * ?} with the name of each position, so one value can be bound in several places. {@code ::TYPE}
 * casts are left alone; names must not appear inside string literals.
 */
public record NamedSql(String jdbc, List<String> names) {
  private static final Pattern PARAM = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

  public static NamedSql parse(String sql) {
    Matcher m = PARAM.matcher(sql);
    List<String> names = new ArrayList<>();
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      names.add(m.group(1));
      m.appendReplacement(out, "?");
    }
    m.appendTail(out);
    return new NamedSql(out.toString(), List.copyOf(names));
  }
}
