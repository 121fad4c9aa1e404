-- A lightweight delete: marks rows now, parts shrink at their next merge. Partitions by day keep it
-- to the oldest parts. On a cluster each shard's local table is cleaned (a Distributed table takes
-- no DELETE). Placeholders: see schema.sql.
DELETE FROM wiki_raw{{local}}{{on_cluster}}
WHERE ingest_time < {cutoff:DateTime64(3, 'UTC')};
