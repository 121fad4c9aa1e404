-- Average events per weekday (1 = Monday) and hour, UTC, of one wiki or of all wikis together.
-- Kept by wiki only: the bot and type filters do not apply. The view merges gold itself. Rounding
-- as in page_spikes.sql.
WITH nullIf({wiki:String}, '') AS p_wiki
SELECT s.weekday AS weekday, s.hour AS hour, floor(sum(s.events) * 10 + 0.5) / 10 AS events
FROM wiki_weekdays_summary AS s
WHERE p_wiki IS NULL OR s.wiki_name = p_wiki
GROUP BY s.weekday, s.hour
ORDER BY weekday, hour;
