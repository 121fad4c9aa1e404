-- The changes committed after batch :after (silver, bounded to the last hour; FINAL after PREWHERE
-- and the tie-break as in feed.sql): what the live stream sends a page after its first snapshot.
-- At most 500, the newest first; total says how many matched.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof,
     toInt64({after:String}) AS p_after
SELECT w.batch_id AS batch, w.event_time AS time, w.wiki AS wiki, w.server_name AS server_name,
       w.type AS type, w.namespace AS namespace, w.title AS title, w."user" AS "user",
       coalesce(w.bot, false) AS bot, w.revision_old AS revision_old,
       w.revision_new AS revision_new, w.length_new - w.length_old AS bytes, w.comment AS comment,
       w.log_type AS log_type, w.log_action AS log_action,
       toInt64(count() OVER ()) AS total
FROM wiki AS w FINAL
PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof
WHERE w.batch_id > p_after
  AND (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
ORDER BY w.batch_id DESC, w.event_time DESC, toString(w.event_id)
LIMIT 500;
