-- Per hour over the window: events, bot / human, anonymous / registered, bytes added / removed.
-- Gold is read merged (sum ... GROUP BY); columns qualified as in timeline_minutely.sql.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT d."interval" AS time,
       sum(d.events) AS events,
       sumIf(d.events, d.bot) AS bot,
       sumIf(d.events, NOT d.bot) AS human,
       sumIf(d.events, d.anon) AS anonymous,
       sumIf(d.events, NOT d.anon) AS registered,
       sum(d.bytes_added) AS bytes_added,
       sum(d.bytes_removed) AS bytes_removed
FROM wiki_hourly_detail AS d
WHERE d."interval" > toStartOfHour(p_asof) - toIntervalHour({hours:Int64})
  AND d."interval" <= p_asof
  AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
  AND (p_bot IS NULL OR d.bot = p_bot)
  AND (p_type IS NULL OR d.type = p_type)
GROUP BY d."interval"
ORDER BY time;
