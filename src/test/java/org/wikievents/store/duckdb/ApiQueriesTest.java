package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.wikievents.store.NamedSql;
import org.wikievents.store.SqlScript;

/** The dashboard's queries: one read-only statement each, with only the parameters it binds. */
class ApiQueriesTest {
  private static final Set<String> PARAMS =
      Set.of("asof", "minutes", "hours", "wiki", "bot", "type", "after");

  private static List<String> names() throws IOException, URISyntaxException {
    Path dir = Path.of(ApiQueriesTest.class.getResource("/sql/duckdb/api").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".sql"))
          .map(n -> n.substring(0, n.length() - 4))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyQueryIsOneReadWithKnownParameters() throws Exception {
    assertThat(names()).contains("asof", "kpis", "timeline_minutely", "feed", "spikes");
    for (String name : names()) {
      String sql = SqlScript.statement(DuckDbStore.DIALECT, "api/" + name);
      String head = sql.stripLeading().toUpperCase(Locale.ROOT);
      assertThat(head).as(name).matches("(?s)^(SELECT|WITH|\\().*");
      assertThat(head).as(name).doesNotContain("INSERT ", "UPDATE ", "DELETE ", "CREATE ", "DROP ");
      assertThat(NamedSql.parse(sql).names()).as(name).isSubsetOf(PARAMS);
    }
  }

  @Test
  void namedParametersBecomePositionsAndCastsStay() {
    NamedSql s =
        NamedSql.parse("SELECT :asof::TIMESTAMP, x::INT FROM t WHERE (:wiki IS NULL OR w = :wiki)");
    assertThat(s.jdbc()).isEqualTo("SELECT ?::TIMESTAMP, x::INT FROM t WHERE (? IS NULL OR w = ?)");
    assertThat(s.names()).containsExactly("asof", "wiki", "wiki");
  }
}
