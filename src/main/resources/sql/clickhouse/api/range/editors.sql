-- The 10 most active human editors and the 10 most active bots over [silver_from, range_to):
-- silver, so at most the range's newest 24 hours (FINAL after PREWHERE; columns qualified as in
-- ../editors.sql).
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffort({silver_from:String}, 3, 'UTC') AS p_from,
     parseDateTime64BestEffort({range_to:String}, 3, 'UTC') AS p_to
SELECT * FROM (
  (SELECT w."user" AS "user", false AS bot, count() AS events, uniqExact(w.wiki) AS wikis
   FROM wiki AS w FINAL
   PREWHERE w.event_time >= p_from AND w.event_time < p_to
   WHERE w."user" IS NOT NULL AND NOT coalesce(w.bot, false) AND (p_bot IS NULL OR NOT p_bot)
     AND (p_wiki IS NULL OR w.wiki = p_wiki)
     AND (p_type IS NULL OR w.type = p_type)
   GROUP BY w."user"
   ORDER BY events DESC, "user"
   LIMIT 10)
  UNION ALL
  (SELECT w."user" AS "user", true AS bot, count() AS events, uniqExact(w.wiki) AS wikis
   FROM wiki AS w FINAL
   PREWHERE w.event_time >= p_from AND w.event_time < p_to
   WHERE w."user" IS NOT NULL AND coalesce(w.bot, false) AND (p_bot IS NULL OR p_bot)
     AND (p_wiki IS NULL OR w.wiki = p_wiki)
     AND (p_type IS NULL OR w.type = p_type)
   GROUP BY w."user"
   ORDER BY events DESC, "user"
   LIMIT 10)
)
ORDER BY bot, events DESC, "user";
