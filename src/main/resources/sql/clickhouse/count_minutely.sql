-- Per-minute gold rows before the cutoff (the four tables are ordered by interval, so their
-- primary keys find them).
SELECT (SELECT count() FROM wiki_minutely_summary
        WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC'))
     + (SELECT count() FROM wiki_minutely_bywiki_summary
        WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC'))
     + (SELECT count() FROM wiki_minutely_detail
        WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC'))
     + (SELECT count() FROM wiki_minutely_totals
        WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC')) AS n;
