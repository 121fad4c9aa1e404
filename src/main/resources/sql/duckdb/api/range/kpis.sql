-- The cards: events and active wikis from gold (chosen as in top_wikis.sql) over [range_from,
-- range_to) against the equal span before it [range_before, range_from); distinct editors from
-- silver, so over at most the range's newest 24 hours [silver_from, range_to) against the equal
-- span before that [silver_before, silver_from); and events per second over the range (rounded to
-- 0.01).
WITH gold AS (
  SELECT wiki_name, "interval" >= :range_from::TIMESTAMP AS current, sum(events) AS events
  FROM (
    SELECT "interval", wiki_name, events FROM wiki_minutely_detail
    WHERE :res::VARCHAR = 'minute'
      AND "interval" >= :range_before::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
      AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
      AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
      AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
    UNION ALL
    SELECT "interval", wiki_name, events FROM wiki_hourly_detail
    WHERE :res::VARCHAR <> 'minute'
      AND "interval" >= :range_before::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
      AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
      AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
      AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  ) AS buckets
  GROUP BY ALL
),
editors AS (
  SELECT "user", event_time >= :silver_from::TIMESTAMP AS current
  FROM wiki
  WHERE event_time >= :silver_before::TIMESTAMP AND event_time < :range_to::TIMESTAMP
    AND "user" IS NOT NULL
    AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  GROUP BY ALL
),
g AS (
  SELECT coalesce(sum(events) FILTER (WHERE current), 0)::BIGINT AS events,
         coalesce(sum(events) FILTER (WHERE NOT current), 0)::BIGINT AS events_before,
         count(DISTINCT wiki_name) FILTER (WHERE current) AS wikis,
         count(DISTINCT wiki_name) FILTER (WHERE NOT current) AS wikis_before
  FROM gold
),
e AS (
  SELECT count(*) FILTER (WHERE current) AS editors,
         count(*) FILTER (WHERE NOT current) AS editors_before
  FROM editors
)
SELECT g.events, g.events_before, e.editors, e.editors_before, g.wikis, g.wikis_before,
       round(g.events / :range_seconds::DOUBLE, 2) AS events_per_second
FROM g, e;
