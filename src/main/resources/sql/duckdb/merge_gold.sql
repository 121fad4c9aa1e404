-- Adds one committed-to-be batch of silver rows (those with this batch id) to every gold table.
-- Runs inside the batch's transaction; every ? is the batch id. Order matters: hours are counted
-- before the hourly summary learns of them.

INSERT INTO wiki_weekdays_hours
SELECT isodow(h) AS weekday, hour(h) AS hour, count(*) AS hours
FROM (SELECT DISTINCT date_trunc('hour', event_time) AS h FROM wiki WHERE batch_id = ?) AS fresh
WHERE h NOT IN (SELECT "interval" FROM wiki_hourly_summary)
GROUP BY ALL
ON CONFLICT (weekday, hour) DO UPDATE SET hours = hours + excluded.hours;

INSERT INTO wiki_minutely_summary
SELECT date_trunc('minute', event_time), count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval") DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_hourly_summary
SELECT date_trunc('hour', event_time), count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval") DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_minutely_bywiki_summary
SELECT date_trunc('minute', event_time), wiki, count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", wiki_name) DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_hourly_bywiki_summary
SELECT date_trunc('hour', event_time), wiki, count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", wiki_name) DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_bywiki_summary
SELECT wiki, count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT (wiki_name) DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_weekdays_totals
SELECT wiki, isodow(event_time), hour(event_time), count(*) FROM wiki WHERE batch_id = ?
GROUP BY ALL
ON CONFLICT (wiki_name, weekday, hour) DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_minutely_detail
SELECT date_trunc('minute', event_time), wiki, type, coalesce(bot, false),
       is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", wiki_name, type, bot, anon) DO UPDATE SET
  events = events + excluded.events,
  bytes_added = bytes_added + excluded.bytes_added,
  bytes_removed = bytes_removed + excluded.bytes_removed;

INSERT INTO wiki_hourly_detail
SELECT date_trunc('hour', event_time), wiki, type, coalesce(bot, false),
       is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", wiki_name, type, bot, anon) DO UPDATE SET
  events = events + excluded.events,
  bytes_added = bytes_added + excluded.bytes_added,
  bytes_removed = bytes_removed + excluded.bytes_removed;

INSERT INTO wiki_minutely_totals
SELECT date_trunc('minute', event_time), type, coalesce(bot, false), is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", type, bot, anon) DO UPDATE SET
  events = events + excluded.events,
  bytes_added = bytes_added + excluded.bytes_added,
  bytes_removed = bytes_removed + excluded.bytes_removed;


INSERT INTO wiki_daily_summary
SELECT date_trunc('day', event_time), count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval") DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_daily_bywiki_summary
SELECT date_trunc('day', event_time), wiki, count(*) FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", wiki_name) DO UPDATE SET events = events + excluded.events;

INSERT INTO wiki_daily_detail
SELECT date_trunc('day', event_time), wiki, type, coalesce(bot, false),
       is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE batch_id = ? GROUP BY ALL
ON CONFLICT ("interval", wiki_name, type, bot, anon) DO UPDATE SET
  events = events + excluded.events,
  bytes_added = bytes_added + excluded.bytes_added,
  bytes_removed = bytes_removed + excluded.bytes_removed;
