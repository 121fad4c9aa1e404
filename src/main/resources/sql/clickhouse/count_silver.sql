-- Silver rows of one month before the cutoff: what the unit of expiry removes. The partition key
-- lets ClickHouse read that month's parts only.
SELECT count() AS n
FROM wiki
WHERE toYYYYMM(event_time) = {month:UInt32}
  AND event_time < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC');
