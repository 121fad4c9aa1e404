-- The 10 most active human editors and the 10 most active bots in the last hour (silver, bounded).
-- One scan of the hour counts each editor's events per wiki; a second, small aggregation adds
-- them up per editor (events, wikis), cheaper than two scans each counting distinct wikis.
WITH by_wiki AS (
  SELECT "user", coalesce(bot, false) AS bot, wiki, count(*) AS events
  FROM wiki
  WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP
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
