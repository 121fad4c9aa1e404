-- wiki-events schema for a ClickHouse cluster (--clickhouse-cluster): the same logical tables as
-- sql/clickhouse/schema.sql, each a Distributed table over a replicated <name>_local table on every
-- shard. Needs the server macros {cluster}, {shard} and {replica}; runs at each start, idempotent.
--
-- Silver, bronze and quarantine are sharded by their id, so every copy of an event lands on one
-- shard, where the Replacing engine can fold it. Gold is kept per shard by views on wiki_local and
-- summed across shards on read, which is why its rows must be read with sum() / -Merge.
-- Replicated tables deduplicate inserts (and their tokens) without further settings.

CREATE TABLE IF NOT EXISTS wiki_raw_local ON CLUSTER '{cluster}' (
  event_id    UUID,
  stream      LowCardinality(String),
  sse_id      Nullable(String),
  ingest_time DateTime64(3, 'UTC'),
  data        String CODEC(ZSTD(3)),
  batch_id    Int64
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toDate(ingest_time)
ORDER BY event_id
TTL toDateTime(ingest_time) + INTERVAL 1 DAY
SETTINGS ttl_only_drop_parts = 1;
CREATE TABLE IF NOT EXISTS wiki_raw ON CLUSTER '{cluster}' AS wiki_raw_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_raw_local, cityHash64(event_id));

CREATE TABLE IF NOT EXISTS wiki_local ON CLUSTER '{cluster}' (
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
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
PARTITION BY toYYYYMM(event_time)
ORDER BY event_id;
CREATE TABLE IF NOT EXISTS wiki ON CLUSTER '{cluster}' AS wiki_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_local, cityHash64(event_id));

CREATE TABLE IF NOT EXISTS wiki_minutely_summary_local ON CLUSTER '{cluster}' (
  "interval" DateTime('UTC'),
  events     UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY "interval";
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_summary_mv ON CLUSTER '{cluster}'
TO wiki_minutely_summary_local AS
SELECT toStartOfMinute(event_time) AS "interval", count() AS events
FROM wiki_local GROUP BY "interval";
CREATE TABLE IF NOT EXISTS wiki_minutely_summary ON CLUSTER '{cluster}'
AS wiki_minutely_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_minutely_summary_local, rand());

CREATE TABLE IF NOT EXISTS wiki_hourly_summary_local ON CLUSTER '{cluster}' (
  "interval" DateTime('UTC'),
  events     UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY "interval";
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_hourly_summary_mv ON CLUSTER '{cluster}'
TO wiki_hourly_summary_local AS
SELECT toStartOfHour(event_time) AS "interval", count() AS events
FROM wiki_local GROUP BY "interval";
CREATE TABLE IF NOT EXISTS wiki_hourly_summary ON CLUSTER '{cluster}'
AS wiki_hourly_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_hourly_summary_local, rand());

CREATE TABLE IF NOT EXISTS wiki_minutely_bywiki_summary_local ON CLUSTER '{cluster}' (
  "interval" DateTime('UTC'),
  wiki_name  LowCardinality(String),
  events     UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", wiki_name);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_bywiki_summary_mv ON CLUSTER '{cluster}'
TO wiki_minutely_bywiki_summary_local AS
SELECT toStartOfMinute(event_time) AS "interval", wiki AS wiki_name, count() AS events
FROM wiki_local GROUP BY "interval", wiki_name;
CREATE TABLE IF NOT EXISTS wiki_minutely_bywiki_summary ON CLUSTER '{cluster}'
AS wiki_minutely_bywiki_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_minutely_bywiki_summary_local, rand());

CREATE TABLE IF NOT EXISTS wiki_hourly_bywiki_summary_local ON CLUSTER '{cluster}' (
  "interval" DateTime('UTC'),
  wiki_name  LowCardinality(String),
  events     UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", wiki_name);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_hourly_bywiki_summary_mv ON CLUSTER '{cluster}'
TO wiki_hourly_bywiki_summary_local AS
SELECT toStartOfHour(event_time) AS "interval", wiki AS wiki_name, count() AS events
FROM wiki_local GROUP BY "interval", wiki_name;
CREATE TABLE IF NOT EXISTS wiki_hourly_bywiki_summary ON CLUSTER '{cluster}'
AS wiki_hourly_bywiki_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_hourly_bywiki_summary_local, rand());

CREATE TABLE IF NOT EXISTS wiki_bywiki_summary_local ON CLUSTER '{cluster}' (
  wiki_name LowCardinality(String),
  events    UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY wiki_name;
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_bywiki_summary_mv ON CLUSTER '{cluster}'
TO wiki_bywiki_summary_local AS
SELECT wiki AS wiki_name, count() AS events
FROM wiki_local GROUP BY wiki_name;
CREATE TABLE IF NOT EXISTS wiki_bywiki_summary ON CLUSTER '{cluster}'
AS wiki_bywiki_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_bywiki_summary_local, rand());

CREATE TABLE IF NOT EXISTS wiki_weekdays_totals_local ON CLUSTER '{cluster}' (
  wiki_name LowCardinality(String),
  weekday   UInt8,
  hour      UInt8,
  events    UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (wiki_name, weekday, hour);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_weekdays_totals_mv ON CLUSTER '{cluster}'
TO wiki_weekdays_totals_local AS
SELECT wiki AS wiki_name, toDayOfWeek(event_time) AS weekday, toHour(event_time) AS hour,
       count() AS events
FROM wiki_local GROUP BY wiki_name, weekday, hour;
CREATE TABLE IF NOT EXISTS wiki_weekdays_totals ON CLUSTER '{cluster}'
AS wiki_weekdays_totals_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_weekdays_totals_local, rand());

-- The same clock hour is seen on several shards: uniqExactMerge over the Distributed table unites
-- the per-shard sets, so it is counted once.
CREATE TABLE IF NOT EXISTS wiki_weekdays_hours_local ON CLUSTER '{cluster}' (
  weekday UInt8,
  hour    UInt8,
  hours   AggregateFunction(uniqExact, DateTime('UTC'))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY (weekday, hour);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_weekdays_hours_mv ON CLUSTER '{cluster}'
TO wiki_weekdays_hours_local AS
SELECT toDayOfWeek(event_time) AS weekday, toHour(event_time) AS hour,
       uniqExactState(toDateTime(toStartOfHour(event_time), 'UTC')) AS hours
FROM wiki_local GROUP BY weekday, hour;
CREATE TABLE IF NOT EXISTS wiki_weekdays_hours ON CLUSTER '{cluster}'
AS wiki_weekdays_hours_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_weekdays_hours_local, rand());

CREATE VIEW IF NOT EXISTS wiki_weekdays_summary ON CLUSTER '{cluster}' AS
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
CREATE TABLE IF NOT EXISTS wiki_minutely_detail_local ON CLUSTER '{cluster}' (
  "interval"    DateTime('UTC'),
  wiki_name     LowCardinality(String),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", wiki_name, type, bot, anon);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_detail_mv ON CLUSTER '{cluster}'
TO wiki_minutely_detail_local AS
SELECT toStartOfMinute(event_time) AS "interval", wiki AS wiki_name, type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki_local GROUP BY "interval", wiki_name, type, bot, anon;
CREATE TABLE IF NOT EXISTS wiki_minutely_detail ON CLUSTER '{cluster}'
AS wiki_minutely_detail_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_minutely_detail_local, rand());

CREATE TABLE IF NOT EXISTS wiki_hourly_detail_local ON CLUSTER '{cluster}' (
  "interval"    DateTime('UTC'),
  wiki_name     LowCardinality(String),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", wiki_name, type, bot, anon);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_hourly_detail_mv ON CLUSTER '{cluster}'
TO wiki_hourly_detail_local AS
SELECT toStartOfHour(event_time) AS "interval", wiki AS wiki_name, type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki_local GROUP BY "interval", wiki_name, type, bot, anon;
CREATE TABLE IF NOT EXISTS wiki_hourly_detail ON CLUSTER '{cluster}'
AS wiki_hourly_detail_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_hourly_detail_local, rand());

-- The same per minute over all wikis: what the unfiltered timeline reads (a few rows a minute).
CREATE TABLE IF NOT EXISTS wiki_minutely_totals_local ON CLUSTER '{cluster}' (
  "interval"    DateTime('UTC'),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", type, bot, anon);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_minutely_totals_mv ON CLUSTER '{cluster}'
TO wiki_minutely_totals_local AS
SELECT toStartOfMinute(event_time) AS "interval", type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki_local GROUP BY "interval", type, bot, anon;
CREATE TABLE IF NOT EXISTS wiki_minutely_totals ON CLUSTER '{cluster}'
AS wiki_minutely_totals_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_minutely_totals_local, rand());

CREATE TABLE IF NOT EXISTS wiki_quarantine_local ON CLUSTER '{cluster}' (
  data_hash   String,
  stream      LowCardinality(String),
  sse_id      Nullable(String),
  ingest_time DateTime64(3, 'UTC'),
  reason      String,
  data        String CODEC(ZSTD(3))
)
ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY data_hash;
CREATE TABLE IF NOT EXISTS wiki_quarantine ON CLUSTER '{cluster}' AS wiki_quarantine_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_quarantine_local, cityHash64(data_hash));

CREATE TABLE IF NOT EXISTS wiki_checkpoint_local ON CLUSTER '{cluster}' (
  stream     String,
  sse_id     String,
  updated_at DateTime64(3, 'UTC')
)
ENGINE = ReplicatedReplacingMergeTree(
  '/clickhouse/tables/{shard}/{database}/{table}', '{replica}', updated_at)
ORDER BY stream;
CREATE TABLE IF NOT EXISTS wiki_checkpoint ON CLUSTER '{cluster}' AS wiki_checkpoint_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_checkpoint_local, cityHash64(stream));

-- Gold by day, kept forever like the hourly tables (the same tables as DuckDB's).
CREATE TABLE IF NOT EXISTS wiki_daily_summary_local ON CLUSTER '{cluster}' (
  "interval" DateTime('UTC'),
  events     UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY "interval";
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_daily_summary_mv ON CLUSTER '{cluster}'
TO wiki_daily_summary_local AS
SELECT toStartOfDay(event_time) AS "interval", count() AS events
FROM wiki_local GROUP BY "interval";
CREATE TABLE IF NOT EXISTS wiki_daily_summary ON CLUSTER '{cluster}'
AS wiki_daily_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_daily_summary_local, rand());
CREATE TABLE IF NOT EXISTS wiki_daily_bywiki_summary_local ON CLUSTER '{cluster}' (
  "interval" DateTime('UTC'),
  wiki_name  LowCardinality(String),
  events     UInt64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", wiki_name);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_daily_bywiki_summary_mv ON CLUSTER '{cluster}'
TO wiki_daily_bywiki_summary_local AS
SELECT toStartOfDay(event_time) AS "interval", wiki AS wiki_name, count() AS events
FROM wiki_local GROUP BY "interval", wiki_name;
CREATE TABLE IF NOT EXISTS wiki_daily_bywiki_summary ON CLUSTER '{cluster}'
AS wiki_daily_bywiki_summary_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_daily_bywiki_summary_local, rand());
CREATE TABLE IF NOT EXISTS wiki_daily_detail_local ON CLUSTER '{cluster}' (
  "interval"    DateTime('UTC'),
  wiki_name     LowCardinality(String),
  type          LowCardinality(String),
  bot           Bool,
  anon          Bool,
  events        UInt64,
  bytes_added   Int64,
  bytes_removed Int64
)
ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY ("interval", wiki_name, type, bot, anon);
CREATE MATERIALIZED VIEW IF NOT EXISTS wiki_daily_detail_mv ON CLUSTER '{cluster}'
TO wiki_daily_detail_local AS
SELECT toStartOfDay(event_time) AS "interval", wiki AS wiki_name, type AS type,
       coalesce(bot, false) AS bot,
       coalesce(match("user", '^([0-9]{1,3}[.]){3}[0-9]{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false)
         AS anon,
       count() AS events,
       sum(greatest(coalesce(length_new - length_old, 0), 0)) AS bytes_added,
       sum(greatest(coalesce(length_old - length_new, 0), 0)) AS bytes_removed
FROM wiki_local GROUP BY "interval", wiki_name, type, bot, anon;
CREATE TABLE IF NOT EXISTS wiki_daily_detail ON CLUSTER '{cluster}'
AS wiki_daily_detail_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_daily_detail_local, rand());
CREATE TABLE IF NOT EXISTS wiki_alerts_local ON CLUSTER '{cluster}' (
  alert_time DateTime64(3, 'UTC'),
  rule       LowCardinality(String),
  subject    String,
  state      LowCardinality(String),
  message    String
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/{database}/{table}', '{replica}')
ORDER BY alert_time;
CREATE TABLE IF NOT EXISTS wiki_alerts ON CLUSTER '{cluster}' AS wiki_alerts_local
ENGINE = Distributed('{cluster}', currentDatabase(), wiki_alerts_local, cityHash64(subject));
