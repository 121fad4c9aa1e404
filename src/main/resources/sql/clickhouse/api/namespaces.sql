-- Events by namespace in the last hour (silver, bounded; FINAL after PREWHERE as in kpis.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT w.namespace AS namespace, count() AS events
FROM wiki AS w FINAL
PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof
WHERE (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type)
GROUP BY w.namespace
ORDER BY events DESC, namespace
LIMIT 15;
