-- The 20 busiest wikis over the window, with their bot share.
SELECT wiki_name AS wiki,
       sum(events)::BIGINT AS events,
       sum(CASE WHEN bot THEN events ELSE 0 END)::BIGINT AS bot
FROM wiki_minutely_detail
WHERE "interval" > :asof::TIMESTAMP - to_minutes(:minutes::BIGINT) AND "interval" <= :asof::TIMESTAMP
  AND (:wiki::VARCHAR IS NULL OR wiki_name = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR bot = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY wiki_name
ORDER BY events DESC, wiki_name
LIMIT 20;
