-- Per hour over the window: events, bot / human, anonymous / registered, bytes added / removed.
SELECT "interval" AS time,
       sum(events)::BIGINT AS events,
       coalesce(sum(events) FILTER (WHERE bot), 0)::BIGINT AS bot,
       coalesce(sum(events) FILTER (WHERE NOT bot), 0)::BIGINT AS human,
       coalesce(sum(events) FILTER (WHERE anon), 0)::BIGINT AS anonymous,
       coalesce(sum(events) FILTER (WHERE NOT anon), 0)::BIGINT AS registered,
       sum(bytes_added)::BIGINT AS bytes_added,
       sum(bytes_removed)::BIGINT AS bytes_removed
FROM wiki_hourly_detail
WHERE "interval" > date_trunc('hour', :asof::TIMESTAMP) - to_hours(:hours::BIGINT) AND "interval" <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY "interval"
ORDER BY "interval";
