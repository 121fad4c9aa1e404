-- Keeps the TTL in step with --raw-retention; only whole expired parts are dropped (cheap).
-- Placeholders: see schema.sql.
ALTER TABLE wiki_raw{{local}}{{on_cluster}}
MODIFY TTL toDateTime(ingest_time) + toIntervalSecond({seconds:UInt32})
SETTINGS materialize_ttl_after_modify = 0;
