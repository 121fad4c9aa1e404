-- Pages changed far more in the last 10 minutes than in the 50 before (silver, bounded to the last
-- hour): at least 5 changes and 3 times their earlier rate; a page quiet before counts one change.
SELECT wiki, any_value(server_name) AS server_name, title,
       count(*) FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 10 MINUTE) AS events,
       count(*) FILTER (WHERE event_time <= :asof::TIMESTAMP - INTERVAL 10 MINUTE) AS events_before,
       round(count(*) FILTER (WHERE event_time > :asof::TIMESTAMP - INTERVAL 10 MINUTE)
             / greatest(count(*) FILTER (WHERE event_time <= :asof::TIMESTAMP - INTERVAL 10 MINUTE) / 5.0, 1.0), 1) AS factor
FROM wiki
WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP AND title IS NOT NULL
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY wiki, title
HAVING events >= 5 AND factor >= 3
ORDER BY factor DESC, events DESC, wiki, title
LIMIT 10;
