-- The newest event time: the anchor of every window, NULL for an empty store (max() would give
-- 1970). The minutely summary is small, and only silver's newest monthly partition is read.
-- silver_from: the oldest event time silver still holds after retention (NULL while it holds
-- everything), what the panels that read silver can answer.
SELECT maxOrNull(event_time) AS asof,
       (SELECT maxOrNull(kept_from) FROM wiki_retention WHERE tier = 'silver') AS silver_from
FROM wiki
WHERE event_time >= (SELECT max("interval") FROM wiki_minutely_summary);
