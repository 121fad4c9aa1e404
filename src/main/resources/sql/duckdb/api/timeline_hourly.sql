-- Per hour over the window: events, bot / human, anonymous / registered, bytes added / removed.
SELECT "interval" AS time,
       sum(events)::BIGINT AS events,
       sum(CASE WHEN bot THEN events ELSE 0 END)::BIGINT AS bot,
       sum(CASE WHEN bot THEN 0 ELSE events END)::BIGINT AS human,
       sum(CASE WHEN anon THEN events ELSE 0 END)::BIGINT AS anonymous,
       sum(CASE WHEN anon THEN 0 ELSE events END)::BIGINT AS registered,
       sum(bytes_added)::BIGINT AS bytes_added,
       sum(bytes_removed)::BIGINT AS bytes_removed
FROM wiki_hourly_detail
WHERE "interval" > date_trunc('hour', :asof::TIMESTAMP) - to_hours(:hours::BIGINT) AND "interval" <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY "interval"
ORDER BY "interval";
