package org.wikievents.store.duckdb;

import com.github.luben.zstd.ZstdOutputStream;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.wikievents.event.RawEvent;
import org.wikievents.event.WikiEvent;

/**
 * Bronze of the DuckDB store: the raw text of every distinct event in zstd-compressed NDJSON files,
 * in a folder beside the database file, read through the {@code wiki_raw} view. Appending 1.4 KB of
 * JSON text per event through DuckDB cost more than the rest of a batch together (measured: 11.5 of
 * 26 s per million events), and DuckDB kept it in 890 bytes; zstd here takes a fraction of that
 * time and about a fifth of the space, and the files are plain NDJSON any tool can read.
 *
 * <p>A file never changes once published. Which files bronze holds is recorded in {@code
 * wiki_raw_files}, in the transaction of the batch that wrote them: a file is written and synced as
 * {@code .tmp} before the commit and renamed after it, and {@link #recover} settles a crash in
 * between from that record.
 */
final class RawFiles {
  private static final String TMP = ".tmp";
  // zstd's fastest regular level: level 3 saved 4% of the space and cost a fifth more ingest time.
  private static final int LEVEL = 1;
  private static final long SMALL_FILE = 8L << 20;
  private static final long MERGED_FILE = 128L << 20;

  private final Path dir;

  RawFiles(Path dir) throws IOException {
    this.dir = Files.createDirectories(dir.toAbsolutePath());
  }

  /** Where the bronze files of a DuckDB store file live. */
  static Path beside(Path dbFile) {
    return dbFile.toAbsolutePath().resolveSibling(dbFile.getFileName() + ".bronze");
  }

  /** A glob for every published file, for DuckDB's {@code read_ndjson}. */
  String glob() {
    return dir.resolve(RawFile.PREFIX + "*" + RawFile.SUFFIX).toString();
  }

  /** Starts the file of one batch; nothing is visible until it is committed and published. */
  Writer create(long batchId) throws IOException {
    String name = RawFile.nameOf(batchId, batchId);
    return new Writer(batchId, name, dir.resolve(name + TMP));
  }

  /** Where a file is written before it is committed. */
  Path tmpPath(String name) {
    return dir.resolve(name + TMP);
  }

  /** Makes a committed file visible under its name. */
  void publish(RawFile file) throws IOException {
    Files.move(tmpPath(file.name()), dir.resolve(file.name()), StandardCopyOption.ATOMIC_MOVE);
    syncDir();
  }

  /**
   * Brings the folder in line with what the store committed: committed files still named {@code
   * .tmp} are published, every other file is deleted (written for a batch that never committed, or
   * merged into a committed file).
   *
   * @return the committed files that are missing
   */
  List<String> recover(Set<String> committed) throws IOException {
    List<Path> present = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      files.forEach(present::add);
    }
    for (Path p : present) {
      String name = String.valueOf(p.getFileName());
      String base = name.endsWith(TMP) ? name.substring(0, name.length() - TMP.length()) : name;
      if (!committed.contains(base)) {
        Files.delete(p);
      } else if (!base.equals(name)) {
        Files.move(p, dir.resolve(base), StandardCopyOption.ATOMIC_MOVE);
      }
    }
    syncDir();
    List<String> missing = new ArrayList<>();
    for (String name : committed) {
      if (!Files.exists(dir.resolve(name))) {
        missing.add(name);
      }
    }
    return missing;
  }

  /**
   * Writes one file holding the given published files in order, as {@code .tmp}. Concatenated zstd
   * frames are themselves a valid zstd stream, so this only copies bytes.
   */
  RawFile concat(List<RawFile> run) throws IOException {
    RawFile first = run.get(0);
    RawFile last = run.get(run.size() - 1);
    String name = RawFile.nameOf(first.firstBatch(), last.lastBatch());
    Path tmp = dir.resolve(name + TMP);
    Files.deleteIfExists(tmp);
    long events = 0;
    long firstIngest = Long.MAX_VALUE;
    long lastIngest = Long.MIN_VALUE;
    try (OutputStream out = Files.newOutputStream(tmp)) {
      for (RawFile f : run) {
        try (InputStream in = Files.newInputStream(dir.resolve(f.name()))) {
          in.transferTo(out);
        }
        events += f.events();
        firstIngest = Math.min(firstIngest, f.firstIngestMillis());
        lastIngest = Math.max(lastIngest, f.lastIngestMillis());
      }
    }
    sync(tmp);
    return new RawFile(
        name,
        first.firstBatch(),
        last.lastBatch(),
        events,
        Files.size(tmp),
        firstIngest,
        lastIngest);
  }

  /**
   * Which published files to merge, so that a live feed's many small batch files do not pile up:
   * runs of consecutive small files received in the same hour (which keeps expiry by the hour).
   */
  static List<List<RawFile>> compactionRuns(List<RawFile> files) {
    List<List<RawFile>> runs = new ArrayList<>();
    List<RawFile> run = new ArrayList<>();
    long runBytes = 0;
    for (RawFile f : files) {
      boolean small = f.bytes() < SMALL_FILE;
      boolean fits =
          !run.isEmpty()
              && small
              && runBytes + f.bytes() <= MERGED_FILE
              && hour(run.get(0).firstIngestMillis()) == hour(f.lastIngestMillis());
      if (!fits) {
        if (run.size() > 1) {
          runs.add(run);
        }
        run = new ArrayList<>();
        runBytes = 0;
      }
      if (small) {
        run.add(f);
        runBytes += f.bytes();
      }
    }
    if (run.size() > 1) {
      runs.add(run);
    }
    return runs;
  }

  private static long hour(long epochMillis) {
    return Math.floorDiv(epochMillis, 3_600_000L);
  }

  void delete(Collection<RawFile> files) throws IOException {
    for (RawFile f : files) {
      Files.deleteIfExists(dir.resolve(f.name()));
    }
    syncDir();
  }

  private void syncDir() throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  private static void sync(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
  }

  /**
   * The file of one batch: one NDJSON line per event, {@code {"event_id", "stream", "sse_id",
   * "ingest_time", "batch_id", "data"}}, {@code data} being the event's text exactly as received,
   * as a JSON string. Lines are built in a buffer and handed to zstd in large pieces.
   *
   * <p>A bulk batch's lines are rendered and compressed on a thread of their own, in chunks, while
   * the loader's thread goes on appending to silver: on one thread this work was a third of the
   * loader's time, the longest of the pipeline's three threads. A few chunks at most wait for it,
   * so memory stays bounded; a small (live) batch is written at {@link #finish} on the caller's
   * thread.
   */
  static final class Writer implements Closeable {
    private static final int FLUSH_AT = 1 << 18;
    private static final int CHUNK = 2048;

    /** Told apart by identity: the compressor stops at it. */
    private static final List<Row> END = new ArrayList<>();

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private record Row(RawEvent raw, WikiEvent event) {}

    private final BlockingQueue<List<Row>> chunks = new ArrayBlockingQueue<>(4);
    private List<Row> chunk = new ArrayList<>();
    private Thread compressor;
    private volatile IOException failure;

    private final long batchId;
    private final String name;
    private final Path tmp;
    private final OutputStream out;
    private byte[] buf = new byte[FLUSH_AT + (1 << 16)];
    private int pos;
    private long events;
    private long firstIngest = Long.MAX_VALUE;
    private long lastIngest = Long.MIN_VALUE;
    private boolean closed;

    private Writer(long batchId, String name, Path tmp) throws IOException {
      this.batchId = batchId;
      this.name = name;
      this.tmp = tmp;
      ZstdOutputStream zstd = new ZstdOutputStream(new FileOutputStream(tmp.toFile()), LEVEL);
      this.out = zstd;
    }

    void append(RawEvent raw, WikiEvent event) throws IOException {
      chunk.add(new Row(raw, event));
      events++;
      firstIngest = Math.min(firstIngest, raw.receivedAtMillis());
      lastIngest = Math.max(lastIngest, raw.receivedAtMillis());
      if (chunk.size() >= CHUNK) {
        handOff(chunk);
        chunk = new ArrayList<>(CHUNK);
      }
    }

    private void handOff(List<Row> rows) throws IOException {
      if (compressor == null) {
        compressor = new Thread(this::compressLoop, "bronze-" + batchId);
        compressor.setDaemon(true);
        compressor.start();
      }
      try {
        while (!chunks.offer(rows, 100, TimeUnit.MILLISECONDS)) {
          throwIfFailed();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while writing bronze");
      }
      throwIfFailed();
    }

    private void compressLoop() {
      try {
        for (List<Row> rows = chunks.take(); rows != END; rows = chunks.take()) {
          write(rows);
        }
      } catch (IOException e) {
        failure = e;
      } catch (InterruptedException e) {
        failure = new InterruptedIOException("bronze writing stopped");
      }
    }

    private void throwIfFailed() throws IOException {
      IOException e = failure;
      if (e != null) {
        throw new IOException("cannot write bronze file " + name + ": " + e.getMessage(), e);
      }
    }

    private void write(List<Row> rows) throws IOException {
      for (Row row : rows) {
        line(row.raw(), row.event());
        if (pos >= FLUSH_AT) {
          out.write(buf, 0, pos);
          pos = 0;
        }
      }
    }

    private void line(RawEvent raw, WikiEvent event) {
      put("{\"event_id\":\"");
      put(event.eventId().toString());
      put("\",\"stream\":");
      putString(raw.stream());
      put(",\"sse_id\":");
      putString(raw.sseId());
      put(",\"ingest_time\":\"");
      put(Instant.ofEpochMilli(raw.receivedAtMillis()).toString());
      put("\",\"batch_id\":");
      put(Long.toString(batchId));
      put(",\"data\":");
      putString(raw.utf8());
      put("}\n");
    }

    long events() {
      return events;
    }

    /** Ends the file and syncs it to disk; what to record in the batch's transaction. */
    RawFile finish() throws IOException {
      if (compressor == null) {
        write(chunk);
      } else {
        handOff(chunk);
        handOff(END);
        join();
        throwIfFailed();
      }
      out.write(buf, 0, pos);
      pos = 0;
      out.close();
      closed = true;
      sync(tmp);
      return new RawFile(name, batchId, batchId, events, Files.size(tmp), firstIngest, lastIngest);
    }

    /** Drops the file of a batch that will not commit. */
    @Override
    public void close() throws IOException {
      if (!closed) {
        closed = true;
        try {
          if (compressor != null) {
            compressor.interrupt();
            join();
          }
          out.close();
        } catch (IOException e) {
          // A full disk cannot take the stream's last bytes; the file goes all the same.
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
    }

    private void join() throws InterruptedIOException {
      try {
        compressor.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while finishing bronze");
      }
    }

    private void put(String ascii) {
      int n = ascii.length();
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[pos++] = (byte) ascii.charAt(i);
      }
    }

    /** A JSON string (or null) of any text: quote, backslash and control bytes escaped. */
    private void putString(String s) {
      if (s == null) {
        put("null");
      } else {
        putString(s.getBytes(StandardCharsets.UTF_8));
      }
    }

    /** A JSON string of UTF-8 text: quote, backslash and control bytes escaped. */
    private void putString(byte[] b) {
      // Worst case: every byte a control character, escaped as six.
      ensure(b.length * 6 + 2);
      byte[] dst = buf;
      int p = pos;
      dst[p++] = '"';
      int start = 0;
      for (int i = 0; i < b.length; i++) {
        int c = b[i] & 0xff;
        if (c == '"' || c == '\\' || c < 0x20) {
          int run = i - start;
          System.arraycopy(b, start, dst, p, run);
          p += run;
          start = i + 1;
          dst[p++] = '\\';
          if (c == '"' || c == '\\') {
            dst[p++] = (byte) c;
          } else if (c == '\n') {
            dst[p++] = 'n';
          } else if (c == '\r') {
            dst[p++] = 'r';
          } else if (c == '\t') {
            dst[p++] = 't';
          } else {
            dst[p++] = 'u';
            dst[p++] = '0';
            dst[p++] = '0';
            dst[p++] = HEX[c >> 4];
            dst[p++] = HEX[c & 0xf];
          }
        }
      }
      int run = b.length - start;
      System.arraycopy(b, start, dst, p, run);
      p += run;
      dst[p++] = '"';
      pos = p;
    }

    private void ensure(int n) {
      if (pos + n > buf.length) {
        byte[] bigger = new byte[Math.max(buf.length * 2, pos + n)];
        System.arraycopy(buf, 0, bigger, 0, pos);
        buf = bigger;
      }
    }
  }
}
