-- The 20 busiest wikis over [range_from, range_to), with their bot share: minutely gold for a
-- range of minutes, hourly gold for one of hours or days (see timeline.sql).
SELECT wiki_name AS wiki,
       sum(events)::BIGINT AS events,
       sum(CASE WHEN bot THEN events ELSE 0 END)::BIGINT AS bot
FROM (
  SELECT wiki_name, bot, events FROM wiki_minutely_detail
  WHERE :res::VARCHAR = 'minute'
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  UNION ALL
  SELECT wiki_name, bot, events FROM wiki_hourly_detail
  WHERE :res::VARCHAR <> 'minute'
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
) AS buckets
GROUP BY wiki_name
ORDER BY events DESC, wiki_name
LIMIT 20;
