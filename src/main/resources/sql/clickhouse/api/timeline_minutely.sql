-- Per minute over the window: events, bot / human, anonymous / registered, bytes added / removed.
-- Without a wiki filter the small all-wiki totals serve; with one, that wiki's detail rows. The
-- branch whose condition is constant false reads nothing. Gold is read merged (sum ... GROUP BY);
-- columns are qualified (d.) because output aliases shadow columns in ClickHouse.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof,
     toIntervalMinute({minutes:Int64}) AS p_window
SELECT d."interval" AS time,
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
  WHERE p_wiki IS NULL
    AND t."interval" > p_asof - p_window AND t."interval" <= p_asof
    AND (p_bot IS NULL OR t.bot = p_bot)
    AND (p_type IS NULL OR t.type = p_type)
  UNION ALL
  SELECT t."interval" AS "interval", t.bot AS bot, t.anon AS anon, t.events AS events,
         t.bytes_added AS bytes_added, t.bytes_removed AS bytes_removed
  FROM wiki_minutely_detail AS t
  WHERE p_wiki IS NOT NULL AND t.wiki_name = p_wiki
    AND t."interval" > p_asof - p_window AND t."interval" <= p_asof
    AND (p_bot IS NULL OR t.bot = p_bot)
    AND (p_type IS NULL OR t.type = p_type)
) AS d
GROUP BY d."interval"
ORDER BY time;
