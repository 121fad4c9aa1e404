-- Pages changed far more in the last sixth [silver_split, range_to) of the span silver is read for
-- (at most the range's newest 24 hours, from silver_from) than in the rest [silver_from,
-- silver_split): at least 5 changes and 3 times their earlier rate, a page quiet before counting
-- one change. For one hour this is ../page_spikes.sql: the last 10 minutes against the 50 before.
WITH recent AS (
  SELECT wiki, title, any_value(server_name) AS server_name, count(*) AS events
  FROM wiki
  WHERE event_time >= :silver_split::TIMESTAMP AND event_time < :range_to::TIMESTAMP
    AND title IS NOT NULL
    AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  GROUP BY wiki, title
  HAVING count(*) >= 5
),
earlier AS (
  SELECT w.wiki, w.title, count(*) AS events
  FROM wiki w
  SEMI JOIN recent r ON w.wiki = r.wiki AND w.title = r.title
  WHERE w.event_time >= :silver_from::TIMESTAMP AND w.event_time < :silver_split::TIMESTAMP
    AND (:bot::BOOLEAN IS NULL OR coalesce(w.bot, false) = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR w.type = :type::VARCHAR)
  GROUP BY w.wiki, w.title
)
SELECT * FROM (
  SELECT r.wiki, r.server_name, r.title, r.events, coalesce(e.events, 0) AS events_before,
         round(r.events / greatest(coalesce(e.events, 0) / 5.0, 1.0), 1) AS factor
  FROM recent r
  LEFT JOIN earlier e ON e.wiki = r.wiki AND e.title = r.title
) AS paged
WHERE factor >= 3
ORDER BY factor DESC, events DESC, wiki, title
LIMIT 10;
