INSERT OR IGNORE INTO wiki_quarantine (data_hash, stream, sse_id, ingest_time, reason, data)
VALUES (?, ?, ?, ?, ?, ?);
