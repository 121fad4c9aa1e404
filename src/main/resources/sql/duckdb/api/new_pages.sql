-- The 20 newest page creations in the last hour (silver, bounded).
SELECT event_time AS time, wiki, server_name, title, "user", coalesce(bot, false) AS bot,
       length_new AS bytes
FROM wiki
WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP AND type = 'new'
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
ORDER BY event_time DESC, event_id
LIMIT 20;
