-- Where silver and gold begin: the first event silver still holds and the first hour of gold.
-- Gold older than silver means silver was trimmed, and the silver panels say so.
SELECT (SELECT min(event_time) FROM wiki) AS silver_from,
       (SELECT min("interval") FROM wiki_hourly_summary) AS gold_from;
