-- The 20 newest page creations in [silver_from, range_to): silver, so at most the range's newest
-- 24 hours.
SELECT event_time AS time, wiki, server_name, title, "user", coalesce(bot, false) AS bot,
       length_new AS bytes
FROM wiki
WHERE event_time >= :silver_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP AND type = 'new'
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
ORDER BY event_time DESC, event_id
LIMIT 20;
