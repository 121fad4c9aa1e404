-- The 10 most active human editors and the 10 most active bots over [silver_from, range_to):
-- silver, so at most the range's newest 24 hours (two aggregations as in ../editors.sql).
WITH by_wiki AS (
  SELECT "user", coalesce(bot, false) AS bot, wiki, count(*) AS events
  FROM wiki
  WHERE event_time >= :silver_from::TIMESTAMP AND event_time < :range_to::TIMESTAMP
    AND "user" IS NOT NULL
    AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
    AND (:bot::BOOLEAN IS NULL OR coalesce(bot, false) = :bot::BOOLEAN)
    AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
  GROUP BY "user", coalesce(bot, false), wiki
),
editors AS (
  SELECT "user", bot, sum(events)::BIGINT AS events, count(*) AS wikis
  FROM by_wiki
  GROUP BY "user", bot
)
SELECT "user", bot, events, wikis
FROM editors
QUALIFY row_number() OVER (PARTITION BY bot ORDER BY events DESC, "user") <= 10
ORDER BY bot, events DESC, "user";
