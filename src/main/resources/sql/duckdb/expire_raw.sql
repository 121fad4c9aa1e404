DELETE FROM wiki_raw WHERE ingest_time < ?;
