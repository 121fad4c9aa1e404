-- The newest event time: the anchor of every window, NULL for an empty store (max() would give
-- 1970). The minutely summary is small, and only silver's newest monthly partition is read.
SELECT maxOrNull(event_time) AS asof
FROM wiki
WHERE event_time >= (SELECT max("interval") FROM wiki_minutely_summary);
