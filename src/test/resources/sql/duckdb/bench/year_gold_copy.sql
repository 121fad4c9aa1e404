-- Fills the older part of the year store's lasting gold (hourly, daily, by wiki, weekday slots)
-- from the block of ? days the loader's merge_gold.sql made (everything from ? on): ? copies of
-- that block, each shifted a further block length back. The block is whole weeks, so weekdays and
-- hours line up and the additive weekday tables just multiply. Per-minute gold (7 days) and
-- silver (its window) come from the real block only. Each ? below is in this order:
-- block days, block start, copies.
CREATE OR REPLACE TEMP TABLE year_copy AS
SELECT ?::INTEGER AS block_days, ?::TIMESTAMP AS block_start, ?::INTEGER AS copies;
INSERT INTO wiki_hourly_summary
SELECT "interval" - to_days(k * block_days), events
FROM wiki_hourly_summary, year_copy, range(1, copies + 1) AS r(k) WHERE "interval" >= block_start;
INSERT INTO wiki_hourly_bywiki_summary
SELECT "interval" - to_days(k * block_days), wiki_name, events
FROM wiki_hourly_bywiki_summary, year_copy, range(1, copies + 1) AS r(k)
WHERE "interval" >= block_start;
INSERT INTO wiki_hourly_detail
SELECT "interval" - to_days(k * block_days), wiki_name, type, bot, anon, events, bytes_added,
       bytes_removed
FROM wiki_hourly_detail, year_copy, range(1, copies + 1) AS r(k) WHERE "interval" >= block_start;
INSERT INTO wiki_daily_summary
SELECT "interval" - to_days(k * block_days), events
FROM wiki_daily_summary, year_copy, range(1, copies + 1) AS r(k) WHERE "interval" >= block_start;
INSERT INTO wiki_daily_bywiki_summary
SELECT "interval" - to_days(k * block_days), wiki_name, events
FROM wiki_daily_bywiki_summary, year_copy, range(1, copies + 1) AS r(k)
WHERE "interval" >= block_start;
INSERT INTO wiki_daily_detail
SELECT "interval" - to_days(k * block_days), wiki_name, type, bot, anon, events, bytes_added,
       bytes_removed
FROM wiki_daily_detail, year_copy, range(1, copies + 1) AS r(k) WHERE "interval" >= block_start;
UPDATE wiki_bywiki_summary SET events = events * (1 + (SELECT copies FROM year_copy));
UPDATE wiki_weekdays_totals SET events = events * (1 + (SELECT copies FROM year_copy));
UPDATE wiki_weekdays_hours SET hours = hours * (1 + (SELECT copies FROM year_copy));
-- Silver answers from the block's start on, as if retention had taken the rest.
INSERT INTO wiki_retention
SELECT 'silver', block_start, 0 FROM year_copy
ON CONFLICT (tier) DO UPDATE SET kept_from = excluded.kept_from;
