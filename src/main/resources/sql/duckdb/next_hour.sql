-- The first hour at or after ? that holds events, from hourly gold (kept forever): the next unit
-- of silver expiry.
SELECT min("interval") FROM wiki_hourly_summary WHERE "interval" >= ?;
