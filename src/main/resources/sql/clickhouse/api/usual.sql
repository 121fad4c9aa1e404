-- The usual events in one clock hour for each weekday-hour slot (1 = Monday), UTC, of all wikis
-- or of one: mean and spread (population standard deviation) over every clock hour of the slot
-- gold holds, a quiet hour counting as zero (see the DuckDB file). Gold is read merged; rounding
-- as in page_spikes.sql.
WITH nullIf({wiki:String}, '') AS p_wiki
SELECT toInt64(h.weekday) AS weekday, toInt64(h.hour) AS hour,
       floor(coalesce(s.total, 0) / h.hours * 10 + 0.5) / 10 AS mean,
       floor(sqrt(greatest(coalesce(s.squares, 0) / h.hours
                           - (coalesce(s.total, 0) / h.hours) * (coalesce(s.total, 0) / h.hours),
                           0)) * 10 + 0.5) / 10 AS spread
FROM (
  SELECT weekday, hour, uniqExactMerge(hours) AS hours
  FROM wiki_weekdays_hours GROUP BY weekday, hour
) AS h
LEFT JOIN (
  SELECT toDayOfWeek(p."interval") AS weekday, toHour(p."interval") AS hour,
         sum(toFloat64(p.events)) AS total, sum(toFloat64(p.events) * p.events) AS squares
  FROM (
    SELECT t."interval" AS "interval", sum(t.events) AS events
    FROM wiki_hourly_summary AS t WHERE p_wiki IS NULL GROUP BY t."interval"
    UNION ALL
    SELECT t."interval" AS "interval", sum(t.events) AS events
    FROM wiki_hourly_bywiki_summary AS t
    WHERE p_wiki IS NOT NULL AND t.wiki_name = p_wiki GROUP BY t."interval"
  ) AS p
  GROUP BY weekday, hour
) AS s ON s.weekday = h.weekday AND s.hour = h.hour
ORDER BY weekday, hour;
