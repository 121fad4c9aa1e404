-- Moves an older store's wiki_raw table into one bronze file, {file} (a string literal), in the
-- layout the wiki_raw view reads; the caller records the file, then the table is dropped.
COPY (SELECT event_id, stream, sse_id, ingest_time, batch_id, data FROM wiki_raw ORDER BY batch_id)
TO {file} (FORMAT json, COMPRESSION zstd);
