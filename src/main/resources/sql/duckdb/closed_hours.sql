-- The hours of silver to copy to Parquet: closed (the newest event is ? past the hour's end), whole
-- in silver (not cut by retention), and without a copy that holds every event hourly gold counts
-- for them (none yet, or late events came after it), of silver or of the hour's gold (stores
-- whose silver copies predate the gold ones get those too). Oldest first.
SELECT h."interval", h.events
FROM wiki_hourly_summary h
LEFT JOIN wiki_parquet_files f ON f.hour = h."interval"
LEFT JOIN wiki_parquet_gold_files g
  ON g.table_name = 'wiki_hourly_summary' AND g."interval" = h."interval"
WHERE h."interval" + INTERVAL 1 HOUR <= ?
  AND h."interval" >= coalesce((SELECT kept_from FROM wiki_retention WHERE tier = 'silver'),
                               TIMESTAMP '-infinity')
  AND (f.hour IS NULL OR f.events <> h.events OR g."interval" IS NULL OR g.events <> h.events)
ORDER BY h."interval";
