package org.wikievents.store.duckdb;

/**
 * One file of the DuckDB store's bronze, as recorded in {@code wiki_raw_files}.
 *
 * @param name the file name, {@code batches-<first>-<last>.ndjson.zst}
 * @param firstBatch the first batch id whose events it holds
 * @param lastBatch the last batch id whose events it holds
 * @param events how many events (lines) it holds
 * @param bytes its size on disk
 * @param firstIngestMillis the earliest ingest time of its events, epoch milliseconds
 * @param lastIngestMillis the latest ingest time of its events, epoch milliseconds
 */
record RawFile(
    String name,
    long firstBatch,
    long lastBatch,
    long events,
    long bytes,
    long firstIngestMillis,
    long lastIngestMillis) {

  static final String PREFIX = "batches-";
  static final String SUFFIX = ".ndjson.zst";

  static String nameOf(long firstBatch, long lastBatch) {
    return String.format("%s%012d-%012d%s", PREFIX, firstBatch, lastBatch, SUFFIX);
  }
}
