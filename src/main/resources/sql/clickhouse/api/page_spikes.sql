-- Pages changed far more in the last 10 minutes than in the 50 before (silver, bounded to the last
-- hour; FINAL after PREWHERE as in kpis.sql): at least 5 changes and 3 times their earlier rate; a
-- page quiet before counts one change. One pass over the hour instead of DuckDB's self-join, so
-- it also runs on a Distributed table.
-- round(x, 1) is written floor(x * 10 + 0.5) / 10: ClickHouse rounds float halves to even,
-- DuckDB away from zero, and the page must show the same factor from both stores.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT wiki, server_name, title, events, events_before,
       floor(events / greatest(events_before / 5.0, 1.0) * 10 + 0.5) / 10 AS factor
FROM (
  SELECT w.wiki AS wiki,
         anyIf(w.server_name, w.event_time > p_asof - INTERVAL 10 MINUTE) AS server_name,
         w.title AS title,
         countIf(w.event_time > p_asof - INTERVAL 10 MINUTE) AS events,
         countIf(w.event_time <= p_asof - INTERVAL 10 MINUTE) AS events_before
  FROM wiki AS w FINAL
  PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof
  WHERE w.title IS NOT NULL
    AND (p_wiki IS NULL OR w.wiki = p_wiki)
    AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
    AND (p_type IS NULL OR w.type = p_type)
  GROUP BY w.wiki, w.title
  HAVING events >= 5
) AS pages
WHERE factor >= 3
ORDER BY factor DESC, events DESC, wiki, title
LIMIT 10;
