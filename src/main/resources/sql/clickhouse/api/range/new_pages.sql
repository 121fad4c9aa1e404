-- The 20 newest page creations in [silver_from, range_to): silver, so at most the range's newest
-- 24 hours (tie-break as in ../feed.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to
SELECT w.event_time AS time, w.wiki AS wiki, w.server_name AS server_name, w.title AS title,
       w."user" AS "user", coalesce(w.bot, false) AS bot, w.length_new AS bytes
FROM wiki AS w FINAL
PREWHERE w.event_time >= p_from AND w.event_time < p_to
WHERE w.type = 'new'
  AND (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
ORDER BY w.event_time DESC, toString(w.event_id)
LIMIT 20;
