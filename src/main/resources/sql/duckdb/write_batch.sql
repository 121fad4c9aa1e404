-- Merges one appended batch (wiki_staging) into silver, bronze and gold. Runs inside the batch's
-- transaction; every ? is the batch id. Order matters: hours are counted before the hourly
-- summary learns of them.

-- Silver: the first copy of each event id in the batch, unless an earlier batch stored it.
INSERT OR IGNORE INTO wiki
SELECT event_id, event_time, ingest_time, wiki, domain, type, namespace, title, "user", bot,
       minor, patrolled, length_old, length_new, revision_old, revision_new, log_type,
       log_action, comment, server_name, rc_id, ? AS batch_id
FROM wiki_staging
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY seq) = 1;

-- Bronze: the raw text of exactly the events that were new to silver.
INSERT INTO wiki_raw
SELECT s.event_id, s.stream, s.sse_id, s.ingest_time, s.data
FROM wiki_staging s
WHERE s.event_id IN (SELECT event_id FROM wiki WHERE batch_id = ?)
QUALIFY row_number() OVER (PARTITION BY s.event_id ORDER BY s.seq) = 1;

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

DELETE FROM wiki_staging;
