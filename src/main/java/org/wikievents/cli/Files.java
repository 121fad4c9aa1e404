package org.wikievents.cli;

import java.nio.file.Path;

/** Checks on paths given by the user, with one-line messages. */
final class Files {
  private Files() {}

  static Path existing(Path file) {
    if (java.nio.file.Files.isDirectory(file)) {
      throw new IllegalArgumentException(file + " is a directory, not a recording");
    }
    if (!java.nio.file.Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no such file: " + file);
    }
    if (!java.nio.file.Files.isReadable(file)) {
      throw new IllegalArgumentException("cannot read " + file);
    }
    return file;
  }
}
