-- Every bronze file, oldest batch first.
SELECT file, first_batch, last_batch, events, bytes, first_ingest, last_ingest
FROM wiki_raw_files ORDER BY first_batch;
