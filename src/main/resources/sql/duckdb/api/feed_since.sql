-- The changes committed after batch :after (silver, bounded to the last hour): what the live
-- stream sends a page after its first snapshot. At most 500, the newest first; total says how
-- many matched, so the page can tell how many it was not sent.
SELECT batch_id AS batch, event_time AS time, wiki, server_name, type, namespace, title, "user",
       coalesce(bot, false) AS bot, revision_old, revision_new,
       length_new - length_old AS bytes, comment, log_type, log_action,
       count(*) OVER () AS total
FROM wiki
WHERE batch_id > :after::BIGINT
  AND event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
ORDER BY batch_id DESC, event_time DESC, event_id
LIMIT 500;
