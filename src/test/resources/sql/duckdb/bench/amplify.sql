-- Grows a store holding the replayed sample (batch ids below 999999) to a large one for the API
-- benchmark: ? copies of its silver rows with new ids, each shifted 46 s later than the last (the
-- sample's span), as batch 999999; merge_gold.sql then adds that batch to gold.
INSERT INTO wiki
SELECT gen_random_uuid(), w.event_time + to_milliseconds(k.k * 46000), w.ingest_time, w.wiki,
       w.domain, w.type, w.namespace, w.title, w."user", w.bot, w.minor, w.patrolled,
       w.length_old, w.length_new, w.revision_old, w.revision_new, w.log_type, w.log_action,
       w.comment, w.server_name, w.rc_id, 999999
FROM wiki w, range(1, ? + 1) AS k(k)
WHERE w.batch_id < 999999;
