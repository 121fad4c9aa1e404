-- Distributed tables take no DELETE: each shard's local table is cleaned.
DELETE FROM wiki_raw_local ON CLUSTER '{cluster}'
WHERE ingest_time < {cutoff:DateTime64(3, 'UTC')};
