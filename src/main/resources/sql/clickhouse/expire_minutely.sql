-- Per-minute gold before the minute retention's cutoff, by lightweight deletes; hourly and daily
-- gold keep it. Placeholders: schema.sql.
DELETE FROM wiki_minutely_summary{{local}}{{on_cluster}}
WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC');
DELETE FROM wiki_minutely_bywiki_summary{{local}}{{on_cluster}}
WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC');
DELETE FROM wiki_minutely_detail{{local}}{{on_cluster}}
WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC');
DELETE FROM wiki_minutely_totals{{local}}{{on_cluster}}
WHERE "interval" < fromUnixTimestamp64Milli({cutoff:Int64}, 'UTC');
