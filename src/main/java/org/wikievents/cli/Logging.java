package org.wikievents.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * One log format for every command: {@code 2026-05-05T12:00:00.000Z INFO SseEventSource - connected
 * ...} on stderr, which a service manager's journal keeps. slf4j-simple reads its settings from
 * system properties when the first logger is made, so they are set before that.
 */
final class Logging {
  static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private Logging() {}

  /** The format, and the frameworks' start-up chatter (banners, static-file lines) kept quiet. */
  static void defaults() {
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent(LEVEL_PROPERTY, "info");
    for (String framework : new String[] {"org.eclipse.jetty", "io.javalin", "com.clickhouse"}) {
      setIfAbsent("org.slf4j.simpleLogger.log." + framework, "warn");
    }
  }

  /** {@code --log-level}: must be set before the first logger is made to take effect. */
  static void level(String level) {
    System.setProperty(LEVEL_PROPERTY, level);
    if (level.equals("debug") || level.equals("trace")) {
      for (String framework : new String[] {"org.eclipse.jetty", "io.javalin", "com.clickhouse"}) {
        System.setProperty("org.slf4j.simpleLogger.log." + framework, "info");
      }
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  static final class LevelConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      return switch (v) {
        case "error", "warn", "info", "debug", "trace" -> v;
        default ->
            throw new TypeConversionException(
                "'" + value + "' is not a log level (error, warn, info, debug, trace)");
      };
    }
  }
}
