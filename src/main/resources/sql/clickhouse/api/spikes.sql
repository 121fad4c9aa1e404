-- Wikis whose last hour is far above their usual for this weekday and hour (the average of
-- wiki_weekdays_summary), with the factor. A wiki never seen in this slot counts as one event.
-- Gold is read merged (sum ... GROUP BY). Rounding as in page_spikes.sql.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT l.wiki_name AS wiki, l.events AS events,
       floor(coalesce(u.events, 0) * 10 + 0.5) / 10 AS usual,
       floor(l.events / greatest(coalesce(u.events, 0), 1.0) * 10 + 0.5) / 10 AS factor
FROM (
  SELECT d.wiki_name AS wiki_name, sum(d.events) AS events
  FROM wiki_minutely_detail AS d
  WHERE d."interval" > p_asof - INTERVAL 1 HOUR AND d."interval" <= p_asof
    AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
    AND (p_bot IS NULL OR d.bot = p_bot)
    AND (p_type IS NULL OR d.type = p_type)
  GROUP BY d.wiki_name
) AS l
LEFT JOIN (
  SELECT s.wiki_name AS wiki_name, s.events AS events
  FROM wiki_weekdays_summary AS s
  WHERE s.weekday = toDayOfWeek(p_asof) AND s.hour = toHour(p_asof)
) AS u ON u.wiki_name = l.wiki_name
WHERE l.events >= 20 AND l.events >= 3 * greatest(coalesce(u.events, 0), 1.0)
ORDER BY factor DESC, l.events DESC, wiki
LIMIT 20;
