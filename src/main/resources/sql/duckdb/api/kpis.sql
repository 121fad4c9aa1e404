-- The last minute before the as-of time against the minute before it, and events per second over
-- the last 10 seconds. Silver, bounded to two minutes. One grouping by editor and wiki, then
-- list_unique over its few rows: DuckDB's count(DISTINCT) builds a hash table per aggregate, and
-- four of them cost more than the rest of the query. list_unique, like count(DISTINCT), skips
-- NULLs; coalesce turns an empty minute's NULL into 0.
WITH edits AS (
  SELECT "user", wiki, event_time > :asof::TIMESTAMP - INTERVAL 1 MINUTE AS last_minute,
         count(*) AS events,
         count(*) FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 10 SECOND) AS last_10s
  FROM wiki
  WHERE event_time > :asof::TIMESTAMP - INTERVAL 2 MINUTE AND event_time <= :asof::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  GROUP BY ALL
)
SELECT
  coalesce(sum(events) FILTER (WHERE last_minute), 0)::BIGINT AS events,
  coalesce(sum(events) FILTER (WHERE NOT last_minute), 0)::BIGINT AS events_before,
  coalesce(list_unique(list("user") FILTER (WHERE last_minute)), 0)::BIGINT AS editors,
  coalesce(list_unique(list("user") FILTER (WHERE NOT last_minute)), 0)::BIGINT AS editors_before,
  coalesce(list_unique(list(wiki) FILTER (WHERE last_minute)), 0)::BIGINT AS wikis,
  coalesce(list_unique(list(wiki) FILTER (WHERE NOT last_minute)), 0)::BIGINT AS wikis_before,
  round(coalesce(sum(last_10s), 0)::BIGINT / 10.0, 1) AS events_per_second
FROM edits;
