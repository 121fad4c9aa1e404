-- The 20 most changed pages over [silver_from, range_to): silver, so at most the range's newest
-- 24 hours (silver_from, see TimeRange; FINAL after PREWHERE).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to
SELECT w.wiki AS wiki, any(w.server_name) AS server_name, w.title AS title, count() AS events
FROM wiki AS w FINAL
PREWHERE w.event_time >= p_from AND w.event_time < p_to
WHERE w.title IS NOT NULL
  AND (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
GROUP BY w.wiki, w.title
ORDER BY events DESC, wiki, title
LIMIT 20;
