-- The 20 most changed pages over [range_from, range_to) (silver).
SELECT wiki, any_value(server_name) AS server_name, title, count(*) AS events
FROM wiki
WHERE event_time >= :range_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
  AND title IS NOT NULL
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY wiki, title
ORDER BY events DESC, wiki, title
LIMIT 20;
