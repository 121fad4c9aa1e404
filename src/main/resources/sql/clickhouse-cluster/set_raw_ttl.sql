ALTER TABLE wiki_raw_local ON CLUSTER '{cluster}'
MODIFY TTL toDateTime(ingest_time) + toIntervalSecond({seconds:UInt32})
SETTINGS materialize_ttl_after_modify = 0;
