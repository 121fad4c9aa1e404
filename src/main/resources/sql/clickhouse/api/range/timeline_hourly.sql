-- The coarser timeline over [range_from, range_to): per :coarse (hour, or day for ranges of days),
-- read as timeline.sql reads (minutely gold for a range of minutes, so a range that starts within
-- an hour counts only its own part of that hour).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({range_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to
SELECT toDateTime(dateTrunc({coarse:String}, d."interval"), 'UTC') AS time,
       sum(d.events) AS events,
       sumIf(d.events, d.bot) AS bot,
       sumIf(d.events, NOT d.bot) AS human,
       sumIf(d.events, d.anon) AS anonymous,
       sumIf(d.events, NOT d.anon) AS registered,
       sum(d.bytes_added) AS bytes_added,
       sum(d.bytes_removed) AS bytes_removed
FROM (
  SELECT t."interval" AS "interval", t.bot AS bot, t.anon AS anon, t.events AS events,
         t.bytes_added AS bytes_added, t.bytes_removed AS bytes_removed
  FROM wiki_minutely_totals AS t
  WHERE {res:String} = 'minute' AND p_wiki IS NULL
    AND t."interval" >= p_from AND t."interval" < p_to
    AND (p_bot IS NULL OR t.bot = p_bot)
    AND (p_type IS NULL OR t.type = p_type)
  UNION ALL
  SELECT t."interval" AS "interval", t.bot AS bot, t.anon AS anon, t.events AS events,
         t.bytes_added AS bytes_added, t.bytes_removed AS bytes_removed
  FROM wiki_minutely_detail AS t
  WHERE {res:String} = 'minute' AND p_wiki IS NOT NULL AND t.wiki_name = p_wiki
    AND t."interval" >= p_from AND t."interval" < p_to
    AND (p_bot IS NULL OR t.bot = p_bot)
    AND (p_type IS NULL OR t.type = p_type)
  UNION ALL
  SELECT t."interval" AS "interval", t.bot AS bot, t.anon AS anon, t.events AS events,
         t.bytes_added AS bytes_added, t.bytes_removed AS bytes_removed
  FROM wiki_hourly_detail AS t
  WHERE {res:String} <> 'minute'
    AND t."interval" >= p_from AND t."interval" < p_to
    AND (p_wiki IS NULL OR t.wiki_name = p_wiki)
    AND (p_bot IS NULL OR t.bot = p_bot)
    AND (p_type IS NULL OR t.type = p_type)
) AS d
GROUP BY time
ORDER BY time;
