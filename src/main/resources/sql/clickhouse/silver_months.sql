-- The months (silver's partitions, YYYYMM) that may hold events before the cutoff, oldest first,
-- from the month where the last pass stopped on. Hourly gold knows every hour that had events and
-- is small, so silver itself is not scanned.
SELECT DISTINCT toYYYYMM("interval") AS month
FROM wiki_hourly_summary
WHERE "interval" >= toStartOfMonth(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
  AND "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC')
ORDER BY month;
