-- Events by type over [range_from, range_to) (gold chosen as in top_wikis.sql).
SELECT type, sum(events)::BIGINT AS events
FROM (
  SELECT type, events FROM wiki_minutely_detail
  WHERE :res::VARCHAR = 'minute'
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  UNION ALL
  SELECT type, events FROM wiki_hourly_detail
  WHERE :res::VARCHAR <> 'minute'
    AND "interval" >= :range_from::TIMESTAMP AND "interval" < :range_to::TIMESTAMP
    AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
) AS buckets
GROUP BY type
ORDER BY events DESC, type;
