-- Pages changed far more in the last sixth [silver_split, range_to) of the span silver is read for
-- (at most the range's newest 24 hours, from silver_from) than in the rest [silver_from,
-- silver_split): at least 5 changes and 3 times their earlier rate (one pass as in
-- ../page_spikes.sql, rounding as there).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to,
     parseDateTime64BestEffort({silver_split:String}, 3, 'UTC') AS p_split
SELECT wiki, server_name, title, events, events_before,
       floor(events / greatest(events_before / 5.0, 1.0) * 10 + 0.5) / 10 AS factor
FROM (
  SELECT w.wiki AS wiki,
         anyIf(w.server_name, w.event_time >= p_split) AS server_name,
         w.title AS title,
         countIf(w.event_time >= p_split) AS events,
         countIf(w.event_time < p_split) AS events_before
  FROM wiki AS w FINAL
  PREWHERE w.event_time >= p_from AND w.event_time < p_to
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
