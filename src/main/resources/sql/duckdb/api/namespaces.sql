-- Events by namespace in the last hour (silver, bounded).
SELECT namespace, count(*) AS events
FROM wiki
WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY namespace
ORDER BY events DESC, namespace
LIMIT 15;
