-- The newest event time: the anchor of every window. The minutely summary is small, and silver's
-- zone maps skip all but the newest minute.
SELECT max(event_time) AS asof
FROM wiki
WHERE event_time >= (SELECT max("interval") FROM wiki_minutely_summary);
