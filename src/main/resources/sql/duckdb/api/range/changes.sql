-- The 100 newest changes of one page (:wiki and :title) or of one editor (:user) in
-- [range_from, range_to), from silver: the drill-down. Columns as in feed.sql.
SELECT event_time AS time, wiki, server_name, type, namespace, title, "user",
       coalesce(bot, false) AS bot, revision_old, revision_new,
       length_new - length_old AS bytes, comment, log_type, log_action
FROM wiki
WHERE event_time >= :range_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
  AND (:title::VARCHAR IS NULL OR title = :title::VARCHAR)
  AND (:user::VARCHAR IS NULL OR "user" = :user::VARCHAR)
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
ORDER BY event_time DESC, event_id
LIMIT 100;
