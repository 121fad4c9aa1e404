-- wiki-events schema for DuckDB, layout 2 (DuckDbLayout.CURRENT). Every statement is idempotent:
-- it runs at each start, after the upgrades an older store needs, in the same transaction. A change
-- to a table that stores already have is a new layout: an upgrade/<version>.sql (the newest one
-- is DuckDbLayout.CURRENT).

-- DuckDB checkpoints whenever its write-ahead log passes this size. Its default (16 MB) is less
-- than one bulk batch, so every commit also rewrote the file: 20% of replay time. The loader
-- checkpoints every 10 minutes anyway (maintain.sql), which keeps the log and recovery short.
SET checkpoint_threshold = '1GB';

-- Which layouts this store has had, one row per upgrade (or the creation); the newest is its layout.
CREATE TABLE IF NOT EXISTS wiki_layout (
  version     INTEGER   PRIMARY KEY,
  upgraded_at TIMESTAMP NOT NULL,
  program     VARCHAR   NOT NULL
);

-- Bronze: the raw text of every distinct event lives in zstd-compressed NDJSON files beside the
-- database (the folder <file>.bronze), read through the wiki_raw view. This table records which
-- files those are, committed with the batch that wrote them. Kept for a retention period.
CREATE TABLE IF NOT EXISTS wiki_raw_files (
  file         VARCHAR   PRIMARY KEY,
  first_batch  BIGINT    NOT NULL,
  last_batch   BIGINT    NOT NULL,
  events       BIGINT    NOT NULL,
  bytes        BIGINT    NOT NULL,
  first_ingest TIMESTAMP NOT NULL,
  last_ingest  TIMESTAMP NOT NULL
);

-- Silver: one row per distinct meta.id, parsed and validated. batch_id says which commit added it.
-- Its columns are described once in org.wikievents.store.Silver (SilverSchemaTest holds this table
-- against it); a new column goes last, where an upgrade's ADD COLUMN puts it.
CREATE TABLE IF NOT EXISTS wiki (
  event_id     UUID      NOT NULL,
  event_time   TIMESTAMP NOT NULL,
  ingest_time  TIMESTAMP NOT NULL,
  wiki         VARCHAR   NOT NULL,
  domain       VARCHAR,
  type         VARCHAR   NOT NULL,
  namespace    INTEGER,
  title        VARCHAR,
  "user"       VARCHAR,
  bot          BOOLEAN,
  minor        BOOLEAN,
  patrolled    BOOLEAN,
  length_old   BIGINT,
  length_new   BIGINT,
  revision_old BIGINT,
  revision_new BIGINT,
  log_type     VARCHAR,
  log_action   VARCHAR,
  comment      VARCHAR,
  server_name  VARCHAR,
  rc_id        BIGINT,
  batch_id     BIGINT    NOT NULL
);

-- Gold, by event time (UTC), maintained by every batch.
CREATE TABLE IF NOT EXISTS wiki_minutely_summary (
  "interval" TIMESTAMP PRIMARY KEY,
  events     BIGINT    NOT NULL
);
CREATE TABLE IF NOT EXISTS wiki_hourly_summary (
  "interval" TIMESTAMP PRIMARY KEY,
  events     BIGINT    NOT NULL
);
CREATE TABLE IF NOT EXISTS wiki_minutely_bywiki_summary (
  "interval" TIMESTAMP NOT NULL,
  wiki_name  VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name)
);
CREATE TABLE IF NOT EXISTS wiki_hourly_bywiki_summary (
  "interval" TIMESTAMP NOT NULL,
  wiki_name  VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name)
);
CREATE TABLE IF NOT EXISTS wiki_bywiki_summary (
  wiki_name VARCHAR PRIMARY KEY,
  events    BIGINT  NOT NULL
);
-- The two parts of wiki_weekdays_summary, each kept by addition so no batch rescans history:
-- a wiki's events per ISO weekday (1 = Monday) and hour, and how many distinct clock hours of
-- each weekday-hour slot wiki_hourly_summary holds.
CREATE TABLE IF NOT EXISTS wiki_weekdays_totals (
  wiki_name VARCHAR NOT NULL,
  weekday   TINYINT NOT NULL,
  hour      TINYINT NOT NULL,
  events    BIGINT  NOT NULL,
  PRIMARY KEY (wiki_name, weekday, hour)
);
CREATE TABLE IF NOT EXISTS wiki_weekdays_hours (
  weekday TINYINT NOT NULL,
  hour    TINYINT NOT NULL,
  hours   BIGINT  NOT NULL,
  PRIMARY KEY (weekday, hour)
);
-- Average events of a wiki in one weekday-hour slot; an hour in which the wiki was quiet counts
-- as zero because the divisor counts the clock hours of all wikis.
CREATE OR REPLACE VIEW wiki_weekdays_summary AS
SELECT t.wiki_name, t.weekday, t.hour, t.events::DOUBLE / h.hours AS events
FROM wiki_weekdays_totals t
JOIN wiki_weekdays_hours h USING (weekday, hour);

-- An anonymous editor: an IP address (before 2025) or a temporary account (~2025-12345-67).
CREATE OR REPLACE MACRO is_anon(u) AS
  coalesce(regexp_matches(u, '^(\d{1,3}\.){3}\d{1,3}$|^[0-9A-Fa-f]*:[0-9A-Fa-f:]+$|^~'), false);

-- Gold for the dashboard: events and bytes by minute and by hour, split by every filter the page
-- offers (wiki, type, bot) and by anonymous (IP or temporary account) editors, so every panel
-- reads a few thousand rows per hour of history instead of silver.
CREATE TABLE IF NOT EXISTS wiki_minutely_detail (
  "interval"    TIMESTAMP NOT NULL,
  wiki_name     VARCHAR   NOT NULL,
  type          VARCHAR   NOT NULL,
  bot           BOOLEAN   NOT NULL,
  anon          BOOLEAN   NOT NULL,
  events        BIGINT    NOT NULL,
  bytes_added   BIGINT    NOT NULL,
  bytes_removed BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name, type, bot, anon)
);
CREATE TABLE IF NOT EXISTS wiki_hourly_detail (
  "interval"    TIMESTAMP NOT NULL,
  wiki_name     VARCHAR   NOT NULL,
  type          VARCHAR   NOT NULL,
  bot           BOOLEAN   NOT NULL,
  anon          BOOLEAN   NOT NULL,
  events        BIGINT    NOT NULL,
  bytes_added   BIGINT    NOT NULL,
  bytes_removed BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name, type, bot, anon)
);
-- The same per minute over all wikis: what the unfiltered timeline reads (a few rows a minute).
CREATE TABLE IF NOT EXISTS wiki_minutely_totals (
  "interval"    TIMESTAMP NOT NULL,
  type          VARCHAR   NOT NULL,
  bot           BOOLEAN   NOT NULL,
  anon          BOOLEAN   NOT NULL,
  events        BIGINT    NOT NULL,
  bytes_added   BIGINT    NOT NULL,
  bytes_removed BIGINT    NOT NULL,
  PRIMARY KEY ("interval", type, bot, anon)
);

-- Gold by day (UTC), kept forever like the hourly tables: a year of history in a few hundred
-- thousand rows, for the long windows of the page.
CREATE TABLE IF NOT EXISTS wiki_daily_summary (
  "interval" TIMESTAMP PRIMARY KEY,
  events     BIGINT    NOT NULL
);
CREATE TABLE IF NOT EXISTS wiki_daily_bywiki_summary (
  "interval" TIMESTAMP NOT NULL,
  wiki_name  VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name)
);
CREATE TABLE IF NOT EXISTS wiki_daily_detail (
  "interval"    TIMESTAMP NOT NULL,
  wiki_name     VARCHAR   NOT NULL,
  type          VARCHAR   NOT NULL,
  bot           BOOLEAN   NOT NULL,
  anon          BOOLEAN   NOT NULL,
  events        BIGINT    NOT NULL,
  bytes_added   BIGINT    NOT NULL,
  bytes_removed BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name, type, bot, anon)
);

-- What retention has removed, per tier ('silver', 'minutely'): the oldest event time the tier
-- still answers for (kept_from; older events are no longer there) and how many rows went. A batch
-- stores no event older than silver's kept_from: it may be counted in gold already.
CREATE TABLE IF NOT EXISTS wiki_retention (
  tier      VARCHAR   PRIMARY KEY,
  kept_from TIMESTAMP NOT NULL,
  expired   BIGINT    NOT NULL
);

-- The Parquet copies of closed hours of silver beside the store (<file>.parquet/wiki/date=.../
-- hour=HH.parquet, with --parquet-copy), one row per published file: what other tools may read
-- while the loader writes.
CREATE TABLE IF NOT EXISTS wiki_parquet_files (
  hour       TIMESTAMP PRIMARY KEY,
  file       VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  written_at TIMESTAMP NOT NULL
);
-- The same for gold (<file>.parquet/gold/<table>/date=.../hour=HH.parquet, or .../day.parquet for
-- the daily tables): one row per table and closed hour or day. Made on open (additive, so no new
-- layout version: an older program of layout 2 ignores it).
CREATE TABLE IF NOT EXISTS wiki_parquet_gold_files (
  table_name VARCHAR   NOT NULL,
  "interval" TIMESTAMP NOT NULL,
  file       VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  written_at TIMESTAMP NOT NULL,
  PRIMARY KEY (table_name, "interval")
);

-- Stores made before these tables existed: fill each once from silver (a no-op afterwards).
INSERT INTO wiki_minutely_detail
SELECT date_trunc('minute', event_time), wiki, type, coalesce(bot, false), is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE NOT EXISTS (SELECT 1 FROM wiki_minutely_detail) GROUP BY ALL;
INSERT INTO wiki_hourly_detail
SELECT date_trunc('hour', event_time), wiki, type, coalesce(bot, false), is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE NOT EXISTS (SELECT 1 FROM wiki_hourly_detail) GROUP BY ALL;
INSERT INTO wiki_minutely_totals
SELECT date_trunc('minute', event_time), type, coalesce(bot, false), is_anon("user"),
       count(*), coalesce(sum(greatest(length_new - length_old, 0)), 0),
       coalesce(sum(greatest(length_old - length_new, 0)), 0)
FROM wiki WHERE NOT EXISTS (SELECT 1 FROM wiki_minutely_totals) GROUP BY ALL;

-- Events that could not be stored, with the reason. data_hash (SHA-256 of data) makes a replay
-- of the same bad line idempotent.
CREATE TABLE IF NOT EXISTS wiki_quarantine (
  data_hash   VARCHAR   PRIMARY KEY,
  stream      VARCHAR   NOT NULL,
  sse_id      VARCHAR,
  ingest_time TIMESTAMP NOT NULL,
  reason      VARCHAR   NOT NULL,
  data        VARCHAR   NOT NULL
);

-- The SSE id after which each live stream resumes, committed with the events it covers.
CREATE TABLE IF NOT EXISTS wiki_checkpoint (
  stream     VARCHAR   PRIMARY KEY,
  sse_id     VARCHAR   NOT NULL,
  updated_at TIMESTAMP NOT NULL
);

-- Alerts as they fired and cleared (docs/alerts.md); written beside the batches, not in them.
CREATE TABLE IF NOT EXISTS wiki_alerts (
  alert_time TIMESTAMP NOT NULL,
  rule       VARCHAR   NOT NULL,
  subject    VARCHAR   NOT NULL,
  state      VARCHAR   NOT NULL,
  message    VARCHAR   NOT NULL
);
