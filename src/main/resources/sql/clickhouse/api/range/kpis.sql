-- The cards: events and active wikis from gold (chosen as in top_wikis.sql) over [range_from,
-- range_to) against the equal span before it [range_before, range_from); distinct editors from
-- silver, so over at most the range's newest 24 hours [silver_from, range_to) against the equal
-- span before that [silver_before, silver_from) (FINAL after PREWHERE as in ../kpis.sql); events
-- per second over the range rounded to 0.01 (written as floor, see ../page_spikes.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({range_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to,
     parseDateTime64BestEffort({range_before:String}, 3, 'UTC') AS p_lo,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_silver,
     parseDateTime64BestEffort({silver_before:String}, 3, 'UTC') AS p_silver_lo
SELECT c.events AS events, c.events_before AS events_before, e.editors AS editors,
       e.editors_before AS editors_before, c.wikis AS wikis, c.wikis_before AS wikis_before,
       floor(c.events / toFloat64({range_seconds:Int64}) * 100 + 0.5) / 100 AS events_per_second
FROM (
  SELECT sumIf(g.events, g."interval" >= p_from) AS events,
         sumIf(g.events, g."interval" < p_from) AS events_before,
         uniqExactIf(g.wiki_name, g."interval" >= p_from) AS wikis,
         uniqExactIf(g.wiki_name, g."interval" < p_from) AS wikis_before
  FROM (
    SELECT d."interval" AS "interval", d.wiki_name AS wiki_name, d.events AS events FROM wiki_minutely_detail AS d
    WHERE {res:String} = 'minute' AND d."interval" >= p_lo AND d."interval" < p_to
      AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
      AND (p_bot IS NULL OR d.bot = p_bot)
      AND (p_type IS NULL OR d.type = p_type)
    UNION ALL
    SELECT d."interval" AS "interval", d.wiki_name AS wiki_name, d.events AS events FROM wiki_hourly_detail AS d
    WHERE {res:String} <> 'minute' AND d."interval" >= p_lo AND d."interval" < p_to
      AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
      AND (p_bot IS NULL OR d.bot = p_bot)
      AND (p_type IS NULL OR d.type = p_type)
  ) AS g
) AS c
CROSS JOIN (
  SELECT uniqExactIf(w."user", w.event_time >= p_silver) AS editors,
         uniqExactIf(w."user", w.event_time < p_silver) AS editors_before
  FROM wiki AS w FINAL
  PREWHERE w.event_time >= p_silver_lo AND w.event_time < p_to
  WHERE w."user" IS NOT NULL
    AND (p_wiki IS NULL OR w.wiki = p_wiki)
    AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
    AND (p_type IS NULL OR w.type = p_type)
) AS e;
