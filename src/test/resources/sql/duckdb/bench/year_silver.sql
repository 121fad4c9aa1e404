-- The events of year_slots into silver as batch ?, every column, in arrival order as a live loader
-- appends them: silver's row groups then each hold a short span of event time, so its zone maps
-- let the panels' last-hour scans and retention skip the rest. (year_events joins, which does
-- not keep year_slots' order, hence the sort.)
INSERT INTO wiki
SELECT event_id, event_time, ingest_time, wiki, domain, type, namespace, title, "user", bot, minor,
       patrolled, length_old, length_new, revision_old, revision_new, log_type, log_action,
       comment, domain, rc_id, ?
FROM year_events
ORDER BY ingest_time, event_id;
