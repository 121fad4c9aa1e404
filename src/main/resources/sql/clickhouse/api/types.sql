-- Events by type (edit, new, log, categorize, ...) over the window. Gold is read merged (sum ...
-- GROUP BY).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT d.type AS type, sum(d.events) AS events
FROM wiki_minutely_detail AS d
WHERE d."interval" > p_asof - toIntervalMinute({minutes:Int64}) AND d."interval" <= p_asof
  AND (p_wiki IS NULL OR d.wiki_name = p_wiki)
  AND (p_bot IS NULL OR d.bot = p_bot)
  AND (p_type IS NULL OR d.type = p_type)
GROUP BY d.type
ORDER BY events DESC, type;
