package org.wikievents.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** Bytes a file or folder takes, for the disk-usage gauge; what vanishes meanwhile counts 0. */
final class DiskUsage {
  private DiskUsage() {}

  static long bytes(Path path) {
    if (!Files.exists(path)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(path)) {
      return files.mapToLong(DiskUsage::size).sum();
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  private static long size(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return a.isRegularFile() ? a.size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }
}
