-- The days of gold to copy to Parquet: closed (the newest event is ? past the day's end) and
-- without a copy that holds every event daily gold counts for them (none yet, or late events came
-- after it). Gold by day is kept forever, so no retention bound. Oldest first.
SELECT d."interval", d.events
FROM wiki_daily_summary d
LEFT JOIN wiki_parquet_gold_files g
  ON g.table_name = 'wiki_daily_summary' AND g."interval" = d."interval"
WHERE d."interval" + INTERVAL 1 DAY <= ?
  AND (g."interval" IS NULL OR g.events <> d.events)
ORDER BY d."interval";
