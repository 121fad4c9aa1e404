-- The newest commit in silver's last hour: where the live stream's feed of new rows starts (see
-- feed_since.sql). Only the hour is read (PREWHERE on the partition key).
WITH parseDateTime64BestEffortOrNull({asof:String}, 3, 'UTC') AS p_asof
SELECT toInt64(coalesce(max(w.batch_id), 0)) AS batch
FROM wiki AS w
PREWHERE w.event_time > p_asof - INTERVAL 1 HOUR AND w.event_time <= p_asof;
