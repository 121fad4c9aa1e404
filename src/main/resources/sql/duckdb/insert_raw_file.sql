INSERT INTO wiki_raw_files (file, first_batch, last_batch, events, bytes, first_ingest, last_ingest)
VALUES (?, ?, ?, ?, ?, ?, ?);
