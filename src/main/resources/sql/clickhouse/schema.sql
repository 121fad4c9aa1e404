-- wiki-events schema for ClickHouse, both layouts: one server, and a cluster (--clickhouse-cluster)
-- where each table is a replicated <name>_local table on every shard with a Distributed table of
-- the logical name over it. ClickHouseSql renders the {{...}} placeholders for the layout:
--   {{local}}             nothing; on a cluster _local (the table that holds the rows)
--   {{on_cluster}}        nothing; on a cluster ON CLUSTER '{cluster}'
--   {{engine:E(args)}}    E(args); on a cluster ReplicatedE('/clickhouse/tables/{shard}/{database}/
--                         {table}', '{replica}', args)
--   {{settings:S}}        SETTINGS non_replicated_deduplication_window = 1000, S; on a cluster
--                         SETTINGS S, or nothing without S (replicated tables deduplicate anyway)
--   {{distributed:T:K}}   no statement; on a cluster the Distributed table T over T_local, sharded
--                         by K
-- ({cluster}, {shard}, {replica} are the servers' macros, {name:Type} query parameters.) Every
-- statement is idempotent: it runs at each start. Same logical tables and columns as
-- sql/duckdb/schema.sql; how each one merges is said beside it.
--
-- Dedupe: the loader inserts into silver only ids it did not find there (select_seen_ids.sql), and
-- every insert carries an insert_deduplication_token, so a retried insert is dropped by the server.
-- non_replicated_deduplication_window turns that token check on for non-replicated tables; the
-- gold tables need it too, or a dropped silver insert would still be counted by the views.
--
-- On a cluster, silver, bronze and quarantine are sharded by their id, so every copy of an event
-- lands on one shard, where the Replacing engine can fold it. Gold is kept per shard by views on
-- wiki_local and summed across shards on read, which is why its rows must be read with sum() /
-- -Merge. The same clock hour is seen on several shards: uniqExactMerge over the Distributed
-- wiki_weekdays_hours unites the per-shard sets, so it is counted once.

-- Bronze: the raw JSON text of every distinct event, as received. The TTL follows --raw-retention
-- (set_raw_ttl.sql) and drops whole days; the loader also deletes expired rows itself
-- (expire_raw.sql). Bronze is inserted before silver, so a loader that dies between the two leaves
-- a copy that the retry inserts again: ReplacingMergeTree folds such copies (FINAL to be exact).
CREATE TABLE IF NOT EXISTS wiki_raw{{local}}{{on_cluster}} (
  event_id    UUID,
  stream      LowCardinality(String),
  sse_id      Nullable(String),
  ingest_time DateTime64(3, 'UTC'),
  data        String CODEC(ZSTD(3)),
  batch_id    Int64
)
ENGINE = {{engine:ReplacingMergeTree}}
PARTITION BY toDate(ingest_time)
ORDER BY event_id
TTL toDateTime(ingest_time) + INTERVAL 1 DAY
{{settings:ttl_only_drop_parts = 1}};
{{distributed:wiki_raw:cityHash64(event_id)}};

-- Silver: one row per meta.id. The loader already inserts each id once; ReplacingMergeTree is the
-- second line that collapses what a race between loaders let through (read with FINAL to be exact).
-- A repeated event has the same event_time, so a partition by month keeps its copies together.
CREATE TABLE IF NOT EXISTS wiki{{local}}{{on_cluster}} (
  event_id     UUID,
  event_time   DateTime64(3, 'UTC'),
  ingest_time  DateTime64(3, 'UTC'),
  wiki         LowCardinality(String),
  domain       LowCardinality(Nullable(String)),
  type         LowCardinality(String),
  namespace    Nullable(Int32),
  title        Nullable(String),
  "user"       Nullable(String),
  bot          Nullable(Bool),
  minor        Nullable(Bool),
  patrolled    Nullable(Bool),
  length_old   Nullable(Int64),
  length_new   Nullable(Int64),
  revision_old Nullable(Int64),
  revision_new Nullable(Int64),
  log_type     LowCardinality(Nullable(String)),
  log_action   LowCardinality(Nullable(String)),
  comment      Nullable(String),
  server_name  LowCardinality(Nullable(String)),
  rc_id        Nullable(Int64),
  batch_id     Int64
)
ENGINE = {{engine:ReplacingMergeTree}}
PARTITION BY toYYYYMM(event_time)
ORDER BY event_id
{{settings}};
{{distributed:wiki:cityHash64(event_id)}};

-- Gold, by event time (UTC). Each table is fed on every insert into silver by the view below it.
-- Rows are partial sums until background merges fold them: always read sum(events) ... GROUP BY.
CREATE TABLE IF NOT EXISTS wiki_minutely_summary{{local}}{{on_cluster}} (
  "interval" DateTime('UTC'),
  events     UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY "interval"
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_summary_mv{{on_cluster}}
TO wiki_minutely_summary{{local}} AS
SELECT toStartOfMinute(event_time) AS "interval", count() AS events
FROM wiki{{local}} GROUP BY "interval";
{{distributed:wiki_minutely_summary:rand()}};

CREATE TABLE IF NOT EXISTS wiki_hourly_summary{{local}}{{on_cluster}} (
  "interval" DateTime('UTC'),
  events     UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY "interval"
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_hourly_summary_mv{{on_cluster}}
TO wiki_hourly_summary{{local}} AS
SELECT toStartOfHour(event_time) AS "interval", count() AS events
FROM wiki{{local}} GROUP BY "interval";
{{distributed:wiki_hourly_summary:rand()}};

CREATE TABLE IF NOT EXISTS wiki_minutely_bywiki_summary{{local}}{{on_cluster}} (
  "interval" DateTime('UTC'),
  wiki_name  LowCardinality(String),
  events     UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", wiki_name)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_bywiki_summary_mv{{on_cluster}}
TO wiki_minutely_bywiki_summary{{local}} AS
SELECT toStartOfMinute(event_time) AS "interval", wiki AS wiki_name, count() AS events
FROM wiki{{local}} GROUP BY "interval", wiki_name;
{{distributed:wiki_minutely_bywiki_summary:rand()}};

CREATE TABLE IF NOT EXISTS wiki_hourly_bywiki_summary{{local}}{{on_cluster}} (
  "interval" DateTime('UTC'),
  wiki_name  LowCardinality(String),
  events     UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", wiki_name)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_hourly_bywiki_summary_mv{{on_cluster}}
TO wiki_hourly_bywiki_summary{{local}} AS
SELECT toStartOfHour(event_time) AS "interval", wiki AS wiki_name, count() AS events
FROM wiki{{local}} GROUP BY "interval", wiki_name;
{{distributed:wiki_hourly_bywiki_summary:rand()}};

CREATE TABLE IF NOT EXISTS wiki_bywiki_summary{{local}}{{on_cluster}} (
  wiki_name LowCardinality(String),
  events    UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY wiki_name
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_bywiki_summary_mv{{on_cluster}}
TO wiki_bywiki_summary{{local}} AS
SELECT wiki AS wiki_name, count() AS events
FROM wiki{{local}} GROUP BY wiki_name;
{{distributed:wiki_bywiki_summary:rand()}};

-- The two parts of wiki_weekdays_summary: a wiki's events per ISO weekday (1 = Monday) and hour,
-- and the distinct clock hours seen in each weekday-hour slot (a set, so AggregatingMergeTree:
-- read uniqExactMerge(hours) ... GROUP BY weekday, hour).
CREATE TABLE IF NOT EXISTS wiki_weekdays_totals{{local}}{{on_cluster}} (
  wiki_name LowCardinality(String),
  weekday   UInt8,
  hour      UInt8,
  events    UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY (wiki_name, weekday, hour)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_weekdays_totals_mv{{on_cluster}}
TO wiki_weekdays_totals{{local}} AS
SELECT wiki AS wiki_name, toDayOfWeek(event_time) AS weekday, toHour(event_time) AS hour,
       count() AS events
FROM wiki{{local}} GROUP BY wiki_name, weekday, hour;
{{distributed:wiki_weekdays_totals:rand()}};

CREATE TABLE IF NOT EXISTS wiki_weekdays_hours{{local}}{{on_cluster}} (
  weekday UInt8,
  hour    UInt8,
  hours   AggregateFunction(uniqExact, DateTime('UTC'))
)
ENGINE = {{engine:AggregatingMergeTree}}
ORDER BY (weekday, hour)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_weekdays_hours_mv{{on_cluster}}
TO wiki_weekdays_hours{{local}} AS
SELECT toDayOfWeek(event_time) AS weekday, toHour(event_time) AS hour,
       uniqExactState(toDateTime(toStartOfHour(event_time), 'UTC')) AS hours
FROM wiki{{local}} GROUP BY weekday, hour;
{{distributed:wiki_weekdays_hours:rand()}};

-- Average events of a wiki in one weekday-hour slot; an hour in which the wiki was quiet counts
-- as zero because the divisor counts the clock hours of all wikis. Merges both parts on read.
CREATE VIEW IF NOT EXISTS wiki_weekdays_summary{{on_cluster}} AS
SELECT t.wiki_name AS wiki_name, t.weekday AS weekday, t.hour AS hour, t.events / h.hours AS events
FROM (
  SELECT wiki_name, weekday, hour, sum(events) AS events
  FROM wiki_weekdays_totals GROUP BY wiki_name, weekday, hour
) AS t
INNER JOIN (
  SELECT weekday, hour, uniqExactMerge(hours) AS hours
  FROM wiki_weekdays_hours GROUP BY weekday, hour
) AS h ON t.weekday = h.weekday AND t.hour = h.hour;

-- Gold for the dashboard: events and bytes by minute and by hour, split by every filter the page
-- offers (wiki, type, bot) and by anonymous (IP or temporary account) editors, so every panel
-- reads a few thousand rows per hour of history instead of silver. The anonymous test is
-- DuckDB's is_anon macro written out (RE2 in both engines). Read with sum() ... GROUP BY.
CREATE TABLE IF NOT EXISTS wiki_minutely_detail{{local}}{{on_cluster}} (
  "interval"    DateTime('UTC'),
  wiki_name     LowCardinality(String),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", wiki_name, type, bot, anon)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_detail_mv{{on_cluster}}
TO wiki_minutely_detail{{local}} AS
SELECT toStartOfMinute(event_time) AS "interval", wiki AS wiki_name, type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki{{local}} GROUP BY "interval", wiki_name, type, bot, anon;
{{distributed:wiki_minutely_detail:rand()}};

CREATE TABLE IF NOT EXISTS wiki_hourly_detail{{local}}{{on_cluster}} (
  "interval"    DateTime('UTC'),
  wiki_name     LowCardinality(String),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", wiki_name, type, bot, anon)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_hourly_detail_mv{{on_cluster}}
TO wiki_hourly_detail{{local}} AS
SELECT toStartOfHour(event_time) AS "interval", wiki AS wiki_name, type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki{{local}} GROUP BY "interval", wiki_name, type, bot, anon;
{{distributed:wiki_hourly_detail:rand()}};

-- The same per minute over all wikis: what the unfiltered timeline reads (a few rows a minute).
CREATE TABLE IF NOT EXISTS wiki_minutely_totals{{local}}{{on_cluster}} (
  "interval"    DateTime('UTC'),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", type, bot, anon)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_totals_mv{{on_cluster}}
TO wiki_minutely_totals{{local}} AS
SELECT toStartOfMinute(event_time) AS "interval", type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki{{local}} GROUP BY "interval", type, bot, anon;
{{distributed:wiki_minutely_totals:rand()}};

-- Events that could not be stored, with the reason; data_hash (SHA-256 of data) collapses a
-- replay of the same bad line (read with FINAL to see each once).
CREATE TABLE IF NOT EXISTS wiki_quarantine{{local}}{{on_cluster}} (
  data_hash   String,
  stream      LowCardinality(String),
  sse_id      Nullable(String),
  ingest_time DateTime64(3, 'UTC'),
  reason      String,
  data        String CODEC(ZSTD(3))
)
ENGINE = {{engine:ReplacingMergeTree}}
ORDER BY data_hash
{{settings}};
{{distributed:wiki_quarantine:cityHash64(data_hash)}};

-- The SSE id after which each live stream resumes, written after the batch's data. The newest
-- updated_at wins: read argMax(sse_id, updated_at) (select_checkpoint.sql) or FINAL.
CREATE TABLE IF NOT EXISTS wiki_checkpoint{{local}}{{on_cluster}} (
  stream     String,
  sse_id     String,
  updated_at DateTime64(3, 'UTC')
)
ENGINE = {{engine:ReplacingMergeTree(updated_at)}}
ORDER BY stream;
{{distributed:wiki_checkpoint:cityHash64(stream)}};

-- Gold by day, kept forever like the hourly tables (the same tables as DuckDB's).
CREATE TABLE IF NOT EXISTS wiki_daily_summary{{local}}{{on_cluster}} (
  "interval" DateTime('UTC'),
  events     UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY "interval"
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_daily_summary_mv{{on_cluster}}
TO wiki_daily_summary{{local}} AS
SELECT toStartOfDay(event_time) AS "interval", count() AS events
FROM wiki{{local}} GROUP BY "interval";
{{distributed:wiki_daily_summary:rand()}};
CREATE TABLE IF NOT EXISTS wiki_daily_bywiki_summary{{local}}{{on_cluster}} (
  "interval" DateTime('UTC'),
  wiki_name  LowCardinality(String),
  events     UInt64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", wiki_name)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_daily_bywiki_summary_mv{{on_cluster}}
TO wiki_daily_bywiki_summary{{local}} AS
SELECT toStartOfDay(event_time) AS "interval", wiki AS wiki_name, count() AS events
FROM wiki{{local}} GROUP BY "interval", wiki_name;
{{distributed:wiki_daily_bywiki_summary:rand()}};
CREATE TABLE IF NOT EXISTS wiki_daily_detail{{local}}{{on_cluster}} (
  "interval"    DateTime('UTC'),
  wiki_name     LowCardinality(String),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = {{engine:SummingMergeTree}}
ORDER BY ("interval", wiki_name, type, bot, anon)
{{settings}};
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_daily_detail_mv{{on_cluster}}
TO wiki_daily_detail{{local}} AS
SELECT toStartOfDay(event_time) AS "interval", wiki AS wiki_name, type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki{{local}} GROUP BY "interval", wiki_name, type, bot, anon;
{{distributed:wiki_daily_detail:rand()}};
-- Alerts as they fired and cleared (docs/alerts.md). The token of a retried insert drops a copy.
CREATE TABLE IF NOT EXISTS wiki_alerts{{local}}{{on_cluster}} (
  alert_time DateTime64(3, 'UTC'),
  rule       LowCardinality(String),
  subject    String,
  state      LowCardinality(String),
  message    String
)
ENGINE = {{engine:MergeTree}}
ORDER BY alert_time
{{settings}};
{{distributed:wiki_alerts:cityHash64(subject)}};

-- How far retention has reached per tier (silver, minutely): the oldest event time the tier still
-- answers for (kept_from) and how many rows went (the same table as DuckDB's). Recorded before the
-- rows go, so a batch never stores an event older than silver's kept_from: gold may count it
-- already. Read max(kept_from), sum(expired) ... GROUP BY tier.
CREATE TABLE IF NOT EXISTS wiki_retention{{local}}{{on_cluster}} (
  tier      LowCardinality(String),
  kept_from SimpleAggregateFunction(max, DateTime64(3, 'UTC')),
  expired   SimpleAggregateFunction(sum, UInt64)
)
ENGINE = {{engine:AggregatingMergeTree}}
ORDER BY tier;
{{distributed:wiki_retention:cityHash64(tier)}};
