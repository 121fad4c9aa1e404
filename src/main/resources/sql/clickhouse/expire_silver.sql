-- The month the cutoff falls in: a lightweight delete of its rows before the cutoff, in that
-- partition only (rows are masked now, parts shrink at their next merge). Placeholders: schema.sql.
DELETE FROM wiki{{local}}{{on_cluster}} IN PARTITION {month:UInt32}
WHERE event_time < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC');
