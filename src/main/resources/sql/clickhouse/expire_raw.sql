-- A lightweight delete: marks rows now, parts shrink at their next merge. Partitions by day keep it
-- to the oldest parts.
DELETE FROM wiki_raw WHERE ingest_time < {cutoff:DateTime64(3, 'UTC')};
