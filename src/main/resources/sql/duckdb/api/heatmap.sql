-- Average events per weekday (1 = Monday) and hour, UTC, of one wiki or of all wikis together.
-- Kept by wiki only: the bot and type filters do not apply.
SELECT weekday, hour, round(sum(events), 1) AS events
FROM wiki_weekdays_summary
WHERE :wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR
GROUP BY weekday, hour
ORDER BY weekday, hour;
