import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Runs finish.sql (statements separated by ";\n") on the store; part of make.sh only. */
public class Finish {
  public static void main(String[] args) throws Exception {
    String sql = Files.readString(Path.of(args[1])).replaceAll("(?m)^--.*$", "");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + args[0]);
        Statement st = c.createStatement()) {
      for (String s : sql.split(";\\s*\n")) {
        if (!s.isBlank()) {
          st.execute(s);
        }
      }
    }
  }
}
