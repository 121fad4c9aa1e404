-- Per minute over the window: events, bot / human, anonymous / registered, bytes added / removed.
-- Without a wiki filter the small all-wiki totals serve; with one, that wiki's detail rows. The
-- branch whose condition is false on the bound values is not scanned.
SELECT "interval" AS time,
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
  WHERE :wiki::VARCHAR IS NULL
    AND "interval" > :asof::TIMESTAMP - to_minutes(:minutes::BIGINT) AND "interval" <= :asof::TIMESTAMP
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  UNION ALL
  SELECT "interval", bot, anon, events, bytes_added, bytes_removed
  FROM wiki_minutely_detail
  WHERE :wiki::VARCHAR IS NOT NULL AND wiki_name = :wiki::VARCHAR
    AND "interval" > :asof::TIMESTAMP - to_minutes(:minutes::BIGINT) AND "interval" <= :asof::TIMESTAMP
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
) AS minutes
GROUP BY "interval"
ORDER BY "interval";
