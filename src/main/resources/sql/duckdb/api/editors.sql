-- The 10 most active human editors and the 10 most active bots in the last hour (silver, bounded).
SELECT "user", coalesce(bot, false) AS bot, count(*) AS events, count(DISTINCT wiki) AS wikis
FROM wiki
WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP AND "user" IS NOT NULL
  AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
  AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
  AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
GROUP BY "user", coalesce(bot, false)
QUALIFY row_number() OVER (PARTITION BY coalesce(bot, false) ORDER BY count(*) DESC, "user") <= 10
ORDER BY bot, events DESC, "user";
