-- The 20 busiest wikis over [range_from, range_to), with their bot share: minutely gold for a
-- range of minutes, hourly gold for one of hours or days (see timeline.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({range_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to,
     p_from AS p_lo
SELECT g.wiki_name AS wiki, sum(g.events) AS events, sumIf(g.events, g.bot) AS bot
FROM (
  SELECT d.wiki_name AS wiki_name, d.bot AS bot, d.events AS events FROM wiki_minutely_detail AS d
  WHERE {res:String} = 'minute' AND d."interval" >= p_lo AND d."interval" < p_to
    AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
    AND (p_bot IS NULL OR d.bot = p_bot)
    AND (p_type IS NULL OR d.type = p_type)
  UNION ALL
  SELECT d.wiki_name AS wiki_name, d.bot AS bot, d.events AS events FROM wiki_hourly_detail AS d
  WHERE {res:String} <> 'minute' AND d."interval" >= p_lo AND d."interval" < p_to
    AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
    AND (p_bot IS NULL OR d.bot = p_bot)
    AND (p_type IS NULL OR d.type = p_type)
) AS g
GROUP BY g.wiki_name
ORDER BY events DESC, wiki
LIMIT 20;
