-- The last minute before the as-of time against the minute before it, and events per second over
-- the last 10 seconds. Silver, bounded to two minutes. Parameters arrive as text because the
-- client cannot bind NULL: an empty value means "no filter" (see ClickHouseReader).
-- FINAL folds copies a race between loaders let through; PREWHERE narrows to the window before
-- FINAL merges, which is exact because every copy of an event has the same event_time.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT
  countIf(event_time > p_asof - INTERVAL 1 MINUTE) AS events,
  countIf(event_time <= p_asof - INTERVAL 1 MINUTE) AS events_before,
  uniqExactIf("user", event_time > p_asof - INTERVAL 1 MINUTE) AS editors,
  uniqExactIf("user", event_time <= p_asof - INTERVAL 1 MINUTE) AS editors_before,
  uniqExactIf(wiki, event_time > p_asof - INTERVAL 1 MINUTE) AS wikis,
  uniqExactIf(wiki, event_time <= p_asof - INTERVAL 1 MINUTE) AS wikis_before,
  round(countIf(event_time > p_asof - INTERVAL 10 SECOND) / 10.0, 1) AS events_per_second
FROM wiki AS w FINAL
PREWHERE w.event_time > p_asof - INTERVAL 2 MINUTE AND w.event_time <= p_asof
WHERE (p_wiki IS NULL OR w.wiki = p_wiki)
  AND (p_bot IS NULL OR coalesce(w.bot, false) = p_bot)
  AND (p_type IS NULL OR w.type = p_type);
