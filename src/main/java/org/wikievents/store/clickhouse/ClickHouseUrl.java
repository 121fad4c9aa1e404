package org.wikievents.store.clickhouse;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a ClickHouse store is: {@code http(s)://user:password@host:8123/database}. The password may
 * instead come from {@code WIKI_EVENTS_CLICKHOUSE_PASSWORD}. {@link #toString} never shows it.
 *
 * @param endpoint scheme, host and port, e.g. {@code http://127.0.0.1:8123}
 * @param database the database holding the tables ({@code default} if the URL names none)
 */
public record ClickHouseUrl(String endpoint, String user, String password, String database) {
  public static final String PASSWORD_ENV = "WIKI_EVENTS_CLICKHOUSE_PASSWORD";

  /** Parses a URL; {@code envPassword} (may be null) is used when the URL carries no password. */
  public static ClickHouseUrl parse(String url, String envPassword) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + mask(url) + "' is not a ClickHouse URL");
    }
    String scheme = uri.getScheme();
    if ((!"http".equals(scheme) && !"https".equals(scheme)) || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'" + mask(url) + "' is not a ClickHouse URL (http://user:pass@host:8123/db)");
    }
    String user = "default";
    String password = envPassword == null ? "" : envPassword;
    String info = uri.getRawUserInfo();
    if (info != null) {
      int colon = info.indexOf(':');
      user = decode(colon < 0 ? info : info.substring(0, colon));
      if (colon >= 0) {
        password = decode(info.substring(colon + 1));
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
    String database = path.isEmpty() ? "default" : path;
    if (!database.matches("[A-Za-z0-9_]{1,64}")) {
      throw new IllegalArgumentException("'" + database + "' is not a ClickHouse database name");
    }
    int port = uri.getPort() > 0 ? uri.getPort() : "https".equals(scheme) ? 8443 : 8123;
    return new ClickHouseUrl(scheme + "://" + uri.getHost() + ":" + port, user, password, database);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL as given, with any password replaced by {@code ***}, for messages and logs. */
  static String mask(String url) {
    return url.replaceAll("(//[^/@:]*:)[^/@]*@", "$1***@");
  }

  @Override
  public String toString() {
    return endpoint.replace("://", "://" + user + "@") + "/" + database;
  }
}
