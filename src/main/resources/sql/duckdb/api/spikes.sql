-- Wikis whose last hour is far above their usual for this weekday and hour (the average of
-- wiki_weekdays_summary), with the factor. A wiki never seen in this slot counts as one event.
WITH last_hour AS (
  SELECT wiki_name, sum(events)::BIGINT AS events
  FROM wiki_minutely_detail
  WHERE "interval" > :asof::TIMESTAMP - INTERVAL 1 HOUR AND "interval" <= :asof::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  GROUP BY wiki_name
)
SELECT l.wiki_name AS wiki, l.events, round(coalesce(u.events, 0), 1) AS usual,
       round(l.events / greatest(coalesce(u.events, 0), 1.0), 1) AS factor
FROM last_hour l
LEFT JOIN wiki_weekdays_summary u
  ON u.wiki_name = l.wiki_name AND u.weekday = isodow(:asof::TIMESTAMP) AND u.hour = hour(:asof::TIMESTAMP)
WHERE l.events >= 20 AND l.events >= 3 * greatest(coalesce(u.events, 0), 1.0)
ORDER BY factor DESC, l.events DESC, wiki
LIMIT 20;
