-- The last minute before the as-of time against the minute before it, and events per second over
-- the last 10 seconds. Silver, bounded to two minutes.
SELECT
  count(*) FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 MINUTE) AS events,
  count(*) FILTER (WHERE event_time <= :asof::TIMESTAMP - INTERVAL 1 MINUTE) AS events_before,
  count(DISTINCT "user") FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 MINUTE) AS editors,
  count(DISTINCT "user") FILTER (WHERE event_time <= :asof::TIMESTAMP - INTERVAL 1 MINUTE) AS editors_before,
  count(DISTINCT wiki) FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 MINUTE) AS wikis,
  count(DISTINCT wiki) FILTER (WHERE event_time <= :asof::TIMESTAMP - INTERVAL 1 MINUTE) AS wikis_before,
  round(count(*) FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 10 SECOND) / 10.0, 1) AS events_per_second
FROM wiki
WHERE event_time > :asof::TIMESTAMP - INTERVAL 2 MINUTE AND event_time <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR);
