-- The coarser timeline over [range_from, range_to): per :coarse (hour, or day for ranges of days),
-- read as timeline.sql reads (minutely gold for a range of minutes, so a range that starts within
-- an hour counts only its own part of that hour).
SELECT date_trunc(:coarse::VARCHAR, "interval")::TIMESTAMP AS time,
       sum(events)::BIGINT AS events,
       sum(CASE WHEN bot THEN events ELSE 0 END)::BIGINT AS bot,
       sum(CASE WHEN bot THEN 0 ELSE events END)::BIGINT AS human,
       sum(CASE WHEN anon THEN events ELSE 0 END)::BIGINT AS anonymous,
       sum(CASE WHEN anon THEN 0 ELSE events END)::BIGINT AS registered,
       sum(bytes_added)::BIGINT AS bytes_added,
       sum(bytes_removed)::BIGINT AS bytes_removed
FROM (
  SELECT "interval", bot, anon, events, bytes_added, bytes_removed
  FROM wiki_minutely_totals
  WHERE :res::VARCHAR = 'minute' AND :wiki::VARCHAR IS NULL
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  UNION ALL
  SELECT "interval", bot, anon, events, bytes_added, bytes_removed
  FROM wiki_minutely_detail
  WHERE :res::VARCHAR = 'minute' AND :wiki::VARCHAR IS NOT NULL AND wiki_name = :wiki::VARCHAR
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  UNION ALL
  SELECT "interval", bot, anon, events, bytes_added, bytes_removed
  FROM wiki_hourly_detail
  WHERE :res::VARCHAR <> 'minute'
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
) AS buckets
GROUP BY 1
ORDER BY 1;
