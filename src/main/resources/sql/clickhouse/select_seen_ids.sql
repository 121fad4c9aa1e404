-- Which of these ids silver already holds. A repeated event carries the same event time, so the
-- time range (the batch's own) prunes every partition and part outside it: the check stays cheap
-- however much history there is.
SELECT toString(event_id) FROM wiki
WHERE event_time BETWEEN {from:DateTime64(3, 'UTC')} AND {to:DateTime64(3, 'UTC')}
  AND event_id IN {ids:Array(UUID)};
