-- Events by namespace over [silver_from, range_to): silver, so at most the range's newest 24 hours.
SELECT namespace, count(*) AS events
FROM wiki
WHERE event_time >= :silver_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY namespace
ORDER BY events DESC, namespace
LIMIT 15;
