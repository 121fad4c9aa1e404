-- The events of year_slots into silver as batch ?, only the columns merge_gold.sql reads (event
-- time, wiki, type, bot, whether the editor is anonymous, sizes): for the days of the year store
-- that retention has already taken out of silver, so gold gets exactly what the full rows would
-- give it and the rows go again right after (expire_silver.sql).
INSERT INTO wiki (event_id, event_time, ingest_time, wiki, type, "user", bot, length_old,
                  length_new, batch_id)
SELECT '00000000-0000-0000-0000-000000000000'::UUID, event_time, event_time, wiki, type,
       CASE WHEN is_temp THEN '~' END, bot, length_old, length_new, ?
FROM year_events;
