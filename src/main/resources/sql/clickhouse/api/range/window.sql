-- Where silver and gold begin: the first event silver still holds and the first hour of gold
-- (NULL on an empty store). Gold older than silver means silver was trimmed.
SELECT (SELECT minOrNull(event_time) FROM wiki) AS silver_from,
       (SELECT minOrNull("interval") FROM wiki_hourly_summary) AS gold_from;
