-- Events by type (edit, new, log, categorize, ...) over the window.
SELECT type, sum(events)::BIGINT AS events
FROM wiki_minutely_detail
WHERE "interval" > :asof::TIMESTAMP - to_minutes(:minutes::BIGINT) AND "interval" <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY type
ORDER BY events DESC, type;
