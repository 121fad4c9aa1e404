-- The 10 most active human editors and the 10 most active bots in the last hour (silver, bounded;
-- FINAL after PREWHERE as in kpis.sql). Columns are qualified (w.) wherever an output alias has
-- the same name, since ClickHouse lets aliases shadow columns in WHERE.
WITH nullIf({wiki:String}, '') AS p_wiki,
     CAST(nullIf({bot:String}, '') AS Nullable(Bool)) AS p_bot,
     nullIf({type:String}, '') AS p_type,
     parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT * FROM (
  (SELECT w."user" AS "user", false AS bot, count() AS events, uniqExact(w.wiki) AS wikis
   FROM wiki AS w FINAL
   PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof
   WHERE w."user" IS NOT NULL AND NOT coalesce(w.bot, false) AND (p_bot IS NULL OR NOT p_bot)
     AND (p_wiki IS NULL OR w.wiki = p_wiki)
     AND (p_type IS NULL OR w.type = p_type)
   GROUP BY w."user"
   ORDER BY events DESC, "user"
   LIMIT 10)
  UNION ALL
  (SELECT w."user" AS "user", true AS bot, count() AS events, uniqExact(w.wiki) AS wikis
   FROM wiki AS w FINAL
   PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof
   WHERE w."user" IS NOT NULL AND coalesce(w.bot, false) AND (p_bot IS NULL OR p_bot)
     AND (p_wiki IS NULL OR w.wiki = p_wiki)
     AND (p_type IS NULL OR w.type = p_type)
   GROUP BY w."user"
   ORDER BY events DESC, "user"
   LIMIT 10)
)
ORDER BY bot, events DESC, "user";
