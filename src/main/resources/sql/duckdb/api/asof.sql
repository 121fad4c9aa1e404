-- The newest event time: the anchor of every window. The minutely summary is small, and silver's
-- zone maps skip all but the newest minute. silver_from: the oldest event time silver still holds
-- after retention (null while it holds everything), what the panels that read silver can answer.
SELECT max(event_time) AS asof,
       (SELECT kept_from FROM wiki_retention WHERE tier = 'silver') AS silver_from
FROM wiki
WHERE event_time >= (SELECT max("interval") FROM wiki_minutely_summary);
