-- Layout 1 (every release before layout versions) to 2. Runs in the transaction that records
-- version 2 in wiki_layout; schema.sql runs after it in the same transaction.
CREATE TABLE wiki_layout (
  version     INTEGER   PRIMARY KEY,
  upgraded_at TIMESTAMP NOT NULL,
  program     VARCHAR   NOT NULL
);

-- Gold by day (UTC), kept forever like the hourly tables: a year of history in a few hundred
-- thousand rows, for the long windows of the page.
CREATE TABLE wiki_daily_summary (
  "interval" TIMESTAMP PRIMARY KEY,
  events     BIGINT    NOT NULL
);
CREATE TABLE wiki_daily_bywiki_summary (
  "interval" TIMESTAMP NOT NULL,
  wiki_name  VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  PRIMARY KEY ("interval", wiki_name)
);
CREATE TABLE wiki_daily_detail (
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
CREATE TABLE wiki_retention (
  tier      VARCHAR   PRIMARY KEY,
  kept_from TIMESTAMP NOT NULL,
  expired   BIGINT    NOT NULL
);

-- Layout 1 kept hourly gold complete, so the days are its sums.
INSERT INTO wiki_daily_summary
SELECT date_trunc('day', "interval"), sum(events) FROM wiki_hourly_summary GROUP BY ALL;
INSERT INTO wiki_daily_bywiki_summary
SELECT date_trunc('day', "interval"), wiki_name, sum(events) FROM wiki_hourly_bywiki_summary
GROUP BY ALL;
INSERT INTO wiki_daily_detail
SELECT date_trunc('day', "interval"), wiki_name, type, bot, anon, sum(events), sum(bytes_added),
       sum(bytes_removed)
FROM wiki_hourly_detail GROUP BY ALL;

-- The Parquet copies of closed hours of silver beside the store (<file>.parquet/wiki/date=.../
-- hour=HH.parquet, with --parquet-copy), one row per published file: what other tools may read
-- while the loader writes.
CREATE TABLE wiki_parquet_files (
  hour       TIMESTAMP PRIMARY KEY,
  file       VARCHAR   NOT NULL,
  events     BIGINT    NOT NULL,
  written_at TIMESTAMP NOT NULL
);
