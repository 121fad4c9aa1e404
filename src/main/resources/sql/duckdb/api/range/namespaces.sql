-- Events by namespace over [range_from, range_to) (silver).
SELECT namespace, count(*) AS events
FROM wiki
WHERE event_time >= :range_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY namespace
ORDER BY events DESC, namespace
LIMIT 15;
