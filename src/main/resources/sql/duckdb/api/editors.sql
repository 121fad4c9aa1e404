-- The 10 most active human editors and the 10 most active bots in the last hour (silver, bounded):
-- two top-10s, cheaper than ranking every editor.
(SELECT "user", false AS bot, count(*) AS events, count(DISTINCT wiki) AS wikis
 FROM wiki
 WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP
   AND "user" IS NOT NULL AND NOT coalesce(bot, false) AND :bot::BOOLEAN IS DISTINCT FROM true
   AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
   AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
 GROUP BY "user"
 ORDER BY events DESC, "user"
 LIMIT 10)
UNION ALL
(SELECT "user", true AS bot, count(*) AS events, count(DISTINCT wiki) AS wikis
 FROM wiki
 WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP
   AND "user" IS NOT NULL AND coalesce(bot, false) AND :bot::BOOLEAN IS DISTINCT FROM false
   AND (:wiki::VARCHAR IS NULL OR wiki = :wiki::VARCHAR)
   AND (:type::VARCHAR IS NULL OR type = :type::VARCHAR)
 GROUP BY "user"
 ORDER BY events DESC, "user"
 LIMIT 10)
ORDER BY bot, events DESC, "user";
