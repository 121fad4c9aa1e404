-- The 20 most changed pages in the last hour (silver, bounded; FINAL after PREWHERE as in
-- kpis.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT w.wiki AS wiki, any(w.server_name) AS server_name, w.title AS title, count() AS events
FROM wiki AS w FINAL
PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof
WHERE w.title IS NOT NULL
  AND (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
GROUP BY w.wiki, w.title
ORDER BY events DESC, wiki, title
LIMIT 20;
