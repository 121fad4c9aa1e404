-- Per bucket of :res (minute, hour or day) over [range_from, range_to): events, bot / human,
-- anonymous / registered, bytes added / removed. The range is whole buckets (TimeRange), so the
-- minutely gold serves minutes (the all-wiki totals without a wiki filter) and the hourly gold
-- serves hours and days exactly. The branches whose condition is false on the bound values are not
-- scanned.
SELECT date_trunc(:res::VARCHAR, "interval")::TIMESTAMP AS time,
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
