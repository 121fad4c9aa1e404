package org.wikievents.source;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A reader's resume points (SSE id per stream) in a small JSON file. Replaced atomically (temporary
 * file, fsync, rename) so a crash leaves either the old or the new content, never a torn file.
 */
public final class ResumeFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;

  public ResumeFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The saved resume points; empty if the file does not exist yet. */
  public Map<String, String> load() throws IOException {
    if (!Files.exists(file)) {
      return Map.of();
    }
    try {
      return JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() {});
    } catch (JsonProcessingException e) {
      throw new IOException(
          "the resume file " + file + " is damaged (" + e.getOriginalMessage() + ")", e);
    }
  }

  public synchronized void save(Map<String, String> ids) throws IOException {
    Path dir = java.util.Objects.requireNonNull(file.toAbsolutePath().getParent());
    Files.createDirectories(dir);
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new TreeMap<>(ids));
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    // The rename is durable only once the directory is synced.
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException ignored) {
      // Some file systems cannot sync a directory; the rename is still atomic there.
    }
  }
}
