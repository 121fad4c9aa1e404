-- Events by namespace over [silver_from, range_to): silver, so at most the range's newest 24 hours
-- (FINAL after PREWHERE as in ../kpis.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to
SELECT w.namespace AS namespace, count() AS events
FROM wiki AS w FINAL
PREWHERE w.event_time >= p_from AND w.event_time < p_to
WHERE 1
  AND (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
GROUP BY w.namespace
ORDER BY events DESC, namespace
LIMIT 15;
