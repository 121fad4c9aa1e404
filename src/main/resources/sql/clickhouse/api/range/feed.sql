-- The 50 newest changes in [silver_from, range_to): silver, so at most the range's newest 24 hours
-- (tie-break as in ../feed.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to
SELECT w.event_time AS time, w.wiki AS wiki, w.server_name AS server_name, w.type AS type,
       w.namespace AS namespace, w.title AS title, w."user" AS "user",
       coalesce(w.bot, false) AS bot, w.revision_old AS revision_old,
       w.revision_new AS revision_new, w.length_new - w.length_old AS bytes, w.comment AS comment,
       w.log_type AS log_type, w.log_action AS log_action
FROM wiki AS w FINAL
PREWHERE w.event_time >= p_from AND w.event_time < p_to
WHERE 1
  AND (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
ORDER BY w.event_time DESC, toString(w.event_id)
LIMIT 50;
