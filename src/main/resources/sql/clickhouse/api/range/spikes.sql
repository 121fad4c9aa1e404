-- Wikis far above their usual over [range_from, range_to): at least 20 events and 3 times the
-- usual, the average of wiki_weekdays_summary for each clock hour the range touches weighted by
-- the share of that hour inside the range (see the DuckDB file). Rounding as in ../page_spikes.sql.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({range_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to,
     p_from AS p_lo
SELECT l.wiki_name AS wiki, l.events AS events,
       floor(coalesce(u.events, 0) * 10 + 0.5) / 10 AS usual,
       floor(l.events / greatest(coalesce(u.events, 0), 1.0) * 10 + 0.5) / 10 AS factor
FROM (
  SELECT g.wiki_name AS wiki_name, sum(g.events) AS events
  FROM (
    SELECT d.wiki_name AS wiki_name, d.events AS events FROM wiki_minutely_detail AS d
    WHERE {res:String} = 'minute' AND d."interval" >= p_lo AND d."interval" < p_to
      AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
      AND (p_bot IS NULL OR d.bot = p_bot)
      AND (p_type IS NULL OR d.type = p_type)
    UNION ALL
    SELECT d.wiki_name AS wiki_name, d.events AS events FROM wiki_hourly_detail AS d
    WHERE {res:String} <> 'minute' AND d."interval" >= p_lo AND d."interval" < p_to
      AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
      AND (p_bot IS NULL OR d.bot = p_bot)
      AND (p_type IS NULL OR d.type = p_type)
  ) AS g
  GROUP BY g.wiki_name
) AS l
LEFT JOIN (
  SELECT s.wiki_name AS wiki_name, sum(s.events * sl.share) AS events
  FROM wiki_weekdays_summary AS s
  INNER JOIN (
    SELECT toDayOfWeek(h) AS weekday, toHour(h) AS hour,
           sum(dateDiff('millisecond', greatest(h, p_from), least(h + INTERVAL 1 HOUR, p_to))
               / 3600000.0) AS share
    FROM (
      SELECT arrayJoin(arrayMap(i -> toStartOfHour(p_from) + toIntervalHour(i),
               range(toUInt64(dateDiff('hour', toStartOfHour(p_from), p_to - INTERVAL 1 MILLISECOND) + 1))))
             AS h
    )
    GROUP BY weekday, hour
  ) AS sl ON sl.weekday = s.weekday AND sl.hour = s.hour
  GROUP BY s.wiki_name
) AS u ON u.wiki_name = l.wiki_name
WHERE l.events >= 20 AND l.events >= 3 * greatest(coalesce(u.events, 0), 1.0)
ORDER BY factor DESC, l.events DESC, wiki
LIMIT 20;
