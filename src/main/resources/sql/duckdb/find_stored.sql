-- Which of these event ids silver already holds. A repeated event carries the same meta.dt, so it
-- can only be among silver rows of the same event time: the time range lets DuckDB skip every row
-- group outside it (zone maps), and the lookup costs the same at ten million events as at ten
-- thousand, with no index to keep in memory. ? = from, to (event time), the ids.
SELECT event_id FROM wiki
WHERE event_time BETWEEN ? AND ?
  AND event_id IN (SELECT unnest(?::UUID[]));
