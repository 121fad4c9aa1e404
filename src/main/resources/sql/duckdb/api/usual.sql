-- The usual events in one clock hour for each weekday-hour slot (1 = Monday), UTC, of all wikis
-- or of one: the mean and the spread (population standard deviation) over every clock hour of the
-- slot that gold holds, an hour in which the wiki was quiet counting as zero (the divisor of
-- wiki_weekdays_summary, whose mean this is). Kept by wiki only, like the heatmap.
WITH per_hour AS (
  SELECT "interval", events FROM wiki_hourly_summary WHERE :wiki::VARCHAR IS NULL
  UNION ALL
  SELECT "interval", events FROM wiki_hourly_bywiki_summary
  WHERE :wiki::VARCHAR IS NOT NULL AND wiki_name = :wiki::VARCHAR
),
slots AS (
  SELECT isodow("interval") AS weekday, hour("interval") AS hour,
         sum(events)::DOUBLE AS total, sum(events::DOUBLE * events) AS squares
  FROM per_hour
  GROUP BY ALL
),
stats AS (
  SELECT h.weekday, h.hour, coalesce(s.total, 0) / h.hours AS mean,
         coalesce(s.squares, 0) / h.hours AS mean_square
  FROM wiki_weekdays_hours h
  LEFT JOIN slots s ON s.weekday = h.weekday AND s.hour = h.hour
)
SELECT weekday::BIGINT AS weekday, hour::BIGINT AS hour, round(mean, 1) AS mean,
       round(sqrt(greatest(mean_square - mean * mean, 0)), 1) AS spread
FROM stats
ORDER BY weekday, hour;
