-- The bronze files whose every event was received before the cutoff: bronze expires a file at a
-- time. ? = the cutoff.
SELECT file, first_batch, last_batch, events, bytes, first_ingest, last_ingest
FROM wiki_raw_files WHERE last_ingest < ? ORDER BY first_batch;
