-- The 50 newest changes in [silver_from, range_to): silver, so at most the range's newest 24 hours
-- (the 50th newest time is found first from the narrow columns, as in ../feed.sql).
WITH cutoff AS (
  SELECT min(event_time) AS t
  FROM (
    SELECT event_time
    FROM wiki
    WHERE event_time >= :silver_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
      AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
      AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
      AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
    ORDER BY event_time DESC
    LIMIT 50
  ) AS newest
)
SELECT event_time AS time, wiki, server_name, type, namespace, title, "user",
       coalesce(bot, false) AS bot, revision_old, revision_new,
       length_new - length_old AS bytes, comment, log_type, log_action
FROM wiki
WHERE event_time >= (SELECT t FROM cutoff)
  AND event_time >= :silver_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
ORDER BY event_time DESC, event_id
LIMIT 50;
