-- The newest commit in silver's last hour: where the live stream's feed of new rows starts (see
-- feed_since.sql). Zone maps skip all but the hour's row groups.
SELECT coalesce(max(batch_id), 0)::BIGINT AS batch
FROM wiki
WHERE event_time > :asof::TIMESTAMP - INTERVAL 1 HOUR AND event_time <= :asof::TIMESTAMP;
