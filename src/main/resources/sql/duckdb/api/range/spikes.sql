-- Wikis far above their usual over [range_from, range_to): at least 20 events and 3 times the
-- usual, which is the average of wiki_weekdays_summary for each clock hour the range touches,
-- weighted by the share of that hour inside the range (a wiki never seen counts one event).
WITH hours AS (
  SELECT h, epoch(least(h + INTERVAL 1 HOUR, :range_to::TIMESTAMP)
                  - greatest(h, :range_from::TIMESTAMP)) / 3600.0 AS share
  FROM generate_series(date_trunc('hour', :range_from::TIMESTAMP),
                       :range_to::TIMESTAMP - INTERVAL 1 MICROSECOND, INTERVAL 1 HOUR) AS t(h)
),
slots AS (
  SELECT isodow(h) AS weekday, hour(h) AS hour, sum(share) AS share FROM hours GROUP BY ALL
),
in_range AS (
  SELECT wiki_name, sum(events)::BIGINT AS events
  FROM (
    SELECT wiki_name, events FROM wiki_minutely_detail
    WHERE :res::VARCHAR = 'minute'
      AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
      AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
      AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
      AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
    UNION ALL
    SELECT wiki_name, events FROM wiki_hourly_detail
    WHERE :res::VARCHAR <> 'minute'
      AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
      AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
      AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
      AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  ) AS buckets
  GROUP BY wiki_name
),
usual AS (
  SELECT u.wiki_name, sum(u.events * s.share) AS events
  FROM wiki_weekdays_summary u
  JOIN slots s ON s.weekday = u.weekday AND s.hour = u.hour
  WHERE u.wiki_name IN (SELECT wiki_name FROM in_range)
  GROUP BY u.wiki_name
)
SELECT l.wiki_name AS wiki, l.events, round(coalesce(u.events, 0), 1) AS usual,
       round(l.events / greatest(coalesce(u.events, 0), 1.0), 1) AS factor
FROM in_range l
LEFT JOIN usual u ON u.wiki_name = l.wiki_name
WHERE l.events >= 20 AND l.events >= 3 * greatest(coalesce(u.events, 0), 1.0)
ORDER BY factor DESC, l.events DESC, wiki
LIMIT 20;
