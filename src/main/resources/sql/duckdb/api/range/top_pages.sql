-- The 20 most changed pages over [silver_from, range_to): silver, so at most the range's newest
-- 24 hours (silver_from, see TimeRange).
SELECT wiki, any_value(server_name) AS server_name, title, count(*) AS events
FROM wiki
WHERE event_time >= :silver_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
  AND title IS NOT NULL
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY wiki, title
ORDER BY events DESC, wiki, title
LIMIT 20;
