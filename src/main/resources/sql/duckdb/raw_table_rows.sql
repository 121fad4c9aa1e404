-- What the wiki_raw table of an older store holds, to record the file its rows move to.
SELECT count(*), min(batch_id), max(batch_id), min(ingest_time), max(ingest_time) FROM wiki_raw;
