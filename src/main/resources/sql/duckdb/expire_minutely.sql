-- Per-minute gold before ? (the minute retention's cutoff); the hourly and daily tables keep it.
DELETE FROM wiki_minutely_summary WHERE "interval" < ?;
DELETE FROM wiki_minutely_bywiki_summary WHERE "interval" < ?;
DELETE FROM wiki_minutely_detail WHERE "interval" < ?;
DELETE FROM wiki_minutely_totals WHERE "interval" < ?;
