-- The events of year_slots into silver as batch ?, every column, minute by minute (year_slots is
-- in time order and DuckDB keeps insertion order), as a live loader appends them: silver's zone
-- maps by event time stay tight for expiry.
INSERT INTO wiki
SELECT event_id, event_time, ingest_time, wiki, domain, type, namespace, title, "user", bot, minor,
       patrolled, length_old, length_new, revision_old, revision_new, log_type, log_action,
       comment, domain, rc_id, ?
FROM year_events;
