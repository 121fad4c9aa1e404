-- Where retention stands, as epoch milliseconds (-1 for none): the newest event time (its windows
-- count back from it; hourly gold is small, and only silver's newest partition is read) and the
-- oldest event time silver still answers for (where the last pass stopped).
SELECT ifNull(toUnixTimestamp64Milli(maxOrNull(event_time)), -1) AS newest,
       ifNull((SELECT toUnixTimestamp64Milli(maxOrNull(kept_from)) FROM wiki_retention
               WHERE tier = 'silver'), -1) AS silver_kept_from
FROM wiki
WHERE event_time >= (SELECT max("interval") FROM wiki_hourly_summary);
