package org.wikievents.store.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wikievents.event.EventParser;
import org.wikievents.event.ParseResult;
import org.wikievents.event.RawEvent;
import org.wikievents.store.BatchWriter;
import org.wikievents.testing.Samples;
import org.wikievents.testing.StoreTables;

/** The DuckDB store's bronze files: written per batch, published on commit, merged, recovered. */
class DuckDbBronzeTest {
  @TempDir Path dir;

  private final EventParser parser = new EventParser();
  private final List<String> lines = Samples.lines(Samples.MULTIWIKI_2026);

  private Path db() {
    return dir.resolve("store.duckdb");
  }

  private Path bronze() {
    return dir.resolve("store.duckdb.bronze");
  }

  private List<ParseResult> parse(List<String> data) {
    return data.stream().map(l -> parser.parse(RawEvent.of("replay", null, l, 1_000))).toList();
  }

  private List<String> files() throws Exception {
    try (Stream<Path> s = Files.list(bronze())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void eachCommittedBatchIsOneFileThatTheViewReads() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      store.write(parse(lines.subList(0, 100)));
      store.write(parse(lines.subList(100, 300)));
    }
    assertThat(files())
        .containsExactly(
            "batches-000000000001-000000000001.ndjson.zst",
            "batches-000000000002-000000000002.ndjson.zst");
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.strings("SELECT data FROM wiki_raw"))
          .containsExactlyInAnyOrderElementsOf(lines.subList(0, 300));
      assertThat(t.count("SELECT sum(events) FROM wiki_raw_files")).isEqualTo(300);
      assertThat(t.count("SELECT count(*) FROM wiki_raw WHERE batch_id = 2")).isEqualTo(200);
    }
  }

  @Test
  void aBatchThatIsNotCommittedLeavesNoFile() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      try (BatchWriter batch = store.begin()) {
        for (ParseResult r : parse(lines)) {
          batch.add(r);
        }
      }
      assertThat(files()).isEmpty();
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isZero();
    }
  }

  @Test
  void aLargeBatchIsCompressedAside() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      try (BatchWriter batch = store.begin()) {
        for (ParseResult r : parse(lines)) {
          batch.add(r);
        }
        // Not committed: the file and the thread writing it are gone.
      }
      assertThat(files()).isEmpty();
      assertThat(Thread.getAllStackTraces().keySet())
          .noneMatch(t -> t.getName().startsWith("bronze-"));

      store.write(parse(lines));
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isEqualTo(lines.size());
      assertThat(t.strings("SELECT data FROM wiki_raw")).containsExactlyInAnyOrderElementsOf(lines);
    }
  }

  @Test
  void aCrashAroundTheCommitIsSettledAtTheNextStart() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      store.write(parse(lines.subList(0, 100)));
      store.write(parse(lines.subList(100, 200)));
    }
    // Batch 2 committed but was not renamed yet; batch 3 wrote its file but never committed; a
    // merge of 1 and 2 was written but not committed.
    Path second = bronze().resolve("batches-000000000002-000000000002.ndjson.zst");
    Files.move(second, second.resolveSibling(second.getFileName() + ".tmp"));
    Files.write(bronze().resolve("batches-000000000003-000000000003.ndjson.zst.tmp"), new byte[9]);
    Files.write(bronze().resolve("batches-000000000001-000000000002.ndjson.zst"), new byte[9]);

    try (DuckDbStore store = DuckDbStore.open(db())) {
      assertThat(files())
          .containsExactly(
              "batches-000000000001-000000000001.ndjson.zst",
              "batches-000000000002-000000000002.ndjson.zst");
      assertThat(store.write(parse(lines.subList(0, 300))).stored()).isEqualTo(100);
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.strings("SELECT data FROM wiki_raw"))
          .containsExactlyInAnyOrderElementsOf(lines.subList(0, 300));
    }
  }

  @Test
  void aMissingFileIsForgottenSoTheStoreStillOpens() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      store.write(parse(lines.subList(0, 100)));
    }
    Files.delete(bronze().resolve("batches-000000000001-000000000001.ndjson.zst"));

    try (DuckDbStore store = DuckDbStore.open(db())) {
      assertThat(store.write(parse(lines.subList(0, 150))).stored()).isEqualTo(50);
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isEqualTo(50);
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(150);
    }
  }

  @Test
  void maintenanceMergesSmallFilesAndKeepsEveryRow() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      for (int from = 0; from < 1000; from += 100) {
        store.write(parse(lines.subList(from, from + 100)));
      }
      assertThat(files()).hasSize(10);

      store.maintain();

      assertThat(files()).containsExactly("batches-000000000001-000000000010.ndjson.zst");
      store.write(parse(lines.subList(1000, 1100)));
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.strings("SELECT data FROM wiki_raw"))
          .containsExactlyInAnyOrderElementsOf(lines.subList(0, 1100));
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isEqualTo(1100);
      assertThat(t.count("SELECT count(*) FROM wiki_raw_files")).isEqualTo(2);
      assertThat(t.count("SELECT count(DISTINCT batch_id) FROM wiki_raw")).isEqualTo(11);
    }
  }

  @Test
  void expiringEveryFileLeavesAnEmptyViewAndNoFiles() throws Exception {
    try (DuckDbStore store = DuckDbStore.open(db())) {
      store.write(parse(lines.subList(0, 100)));
      store.write(parse(lines.subList(100, 200)));
      assertThat(store.expireRaw(java.time.Instant.ofEpochMilli(1_001))).isEqualTo(200);
      assertThat(files()).isEmpty();
      store.write(parse(lines.subList(200, 250)));
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.count("SELECT count(*) FROM wiki_raw")).isEqualTo(50);
      assertThat(t.count("SELECT count(*) FROM wiki")).isEqualTo(250);
    }
  }

  @Test
  void hostileTextInEveryFieldReadsBackExactly() throws Exception {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    String sseId =
        "[{\"topic\":\"x\\\"'); DROP TABLE wiki; --\"}]" + controls + "\u00e9\ud83d\ude00";
    String line = lines.get(0).replace("\"wiki\":", " \"wiki\" :\n\t");
    ParseResult r = parser.parse(RawEvent.of("recentchange", sseId, line, 1_000));
    assertThat(r).isInstanceOf(ParseResult.Accepted.class);
    try (DuckDbStore store = DuckDbStore.open(db())) {
      store.write(List.of(r));
    }
    try (StoreTables t = StoreTables.open(db())) {
      assertThat(t.strings("SELECT sse_id FROM wiki_raw")).containsExactly(sseId);
      assertThat(t.strings("SELECT data FROM wiki_raw")).containsExactly(line);
      assertThat(t.strings("SELECT stream FROM wiki_raw")).containsExactly("recentchange");
    }
  }

  @Test
  void smallFilesOfTheSameHourAreMergedInOrder() {
    long hour = 3_600_000L;
    List<RawFile> files = new ArrayList<>();
    files.add(file(1, 10, 0));
    files.add(file(2, 10, 1));
    files.add(file(3, 64L << 20, 2)); // a bulk batch: kept as it is
    files.add(file(4, 10, 3));
    files.add(file(5, 10, hour - 1));
    files.add(file(6, 10, hour)); // the next hour
    files.add(file(7, 10, hour + 1));
    files.add(file(8, 10, 2 * hour)); // alone in its hour

    List<List<Long>> runs =
        RawFiles.compactionRuns(files).stream()
            .map(run -> run.stream().map(RawFile::firstBatch).toList())
            .toList();

    assertThat(runs).containsExactly(List.of(1L, 2L), List.of(4L, 5L), List.of(6L, 7L));
  }

  @Test
  void mergedFilesStayBelowTheirSizeLimit() {
    List<RawFile> files = new ArrayList<>();
    for (long b = 1; b <= 40; b++) {
      files.add(file(b, 7L << 20, b));
    }
    assertThat(RawFiles.compactionRuns(files)).extracting(List::size).containsExactly(18, 18, 4);
  }

  private static RawFile file(long batch, long bytes, long ingestMillis) {
    return new RawFile(
        RawFile.nameOf(batch, batch), batch, batch, 1, bytes, ingestMillis, ingestMillis);
  }
}
