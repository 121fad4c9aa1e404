-- The events of the minutes in year_slots, one row each, with every silver column (and the parts
-- of the JSON that silver does not keep). Shares, mixes and sizes are the ones measured in the
-- recordings (docs/performance.md, "A realistic year"); kind 0 is Commons, 1 Wikidata, 2 the rest.
-- Columns nobody selects are not computed (DuckDB prunes them), so the gold-only days of the year
-- store cost little more than the five columns gold reads.
CREATE OR REPLACE TEMP VIEW year_events AS
WITH e AS (
  SELECT key, minute, b_bucket, b_user, b_title, unnest(range(n)) AS k FROM year_slots
),
x AS (
  SELECT hash(key, k) AS x, minute, b_bucket, b_user, b_title, b_bucket IS NOT NULL AS burst
  FROM e
),
w AS (
  SELECT x.*, l.wiki, l.domain, l.kind, l.titles,
         minute + to_milliseconds(floor(yu(x, 1) * 60000)::BIGINT) AS event_time,
         yu(x, 3) AS ut, yu(x, 4) AS ub, yu(x, 5) AS un
  FROM x JOIN year_lut l ON l.bucket = coalesce(b_bucket, floor(yu(x, 2) * 1048576)::INTEGER)
),
t AS (
  SELECT w.*,
         CASE
           WHEN burst THEN CASE WHEN ut < 0.50 THEN 'categorize' WHEN ut < 0.85 THEN 'edit'
                                ELSE 'new' END
           WHEN kind = 0 THEN CASE WHEN ut < 0.641 THEN 'categorize' WHEN ut < 0.934 THEN 'edit'
                                   WHEN ut < 0.990 THEN 'log' ELSE 'new' END
           WHEN kind = 1 THEN CASE WHEN ut < 0.988 THEN 'edit' WHEN ut < 0.996 THEN 'new'
                                   ELSE 'log' END
           ELSE CASE WHEN ut < 0.529 THEN 'categorize' WHEN ut < 0.824 THEN 'edit'
                     WHEN ut < 0.918 THEN 'new' ELSE 'log' END
         END AS type
  FROM w
),
b AS (
  SELECT t.*,
         burst OR ub < CASE
           WHEN kind = 0 THEN CASE type WHEN 'edit' THEN 0.45 WHEN 'categorize' THEN 0.29
                                        WHEN 'log' THEN 0.32 ELSE 0.30 END
           WHEN kind = 1 THEN CASE type WHEN 'log' THEN 0.10 ELSE 0.50 END
           ELSE CASE type WHEN 'edit' THEN 0.33 WHEN 'new' THEN 0.86 WHEN 'categorize' THEN 0.81
                          ELSE 0.74 END
         END AS bot
  FROM t
),
u AS (
  SELECT b.*,
         NOT bot AND yu(x, 6) < 0.039 AS is_temp,
         CASE
           WHEN burst THEN b_user
           WHEN bot THEN zipf(yu(x, 7), 5000, 1.2)
           WHEN yu(x, 6) < 0.039 THEN zipf(yu(x, 7), 400000, 0.8)
           ELSE zipf(yu(x, 7), 600000, 1.1)
         END AS user_rank,
         CASE
           WHEN type = 'categorize' THEN 14
           WHEN type = 'log' THEN CASE WHEN kind = 0 THEN 6 WHEN un < 0.8 THEN 0 ELSE 2 END
           WHEN kind = 0 AND type = 'edit' THEN CASE WHEN un < 0.96 THEN 6 WHEN un < 0.98 THEN 14
                                                     ELSE 4 END
           WHEN kind = 0 THEN CASE WHEN un < 0.7 THEN 14 WHEN un < 0.9 THEN 6 ELSE 4 END
           WHEN kind = 1 THEN CASE WHEN un < 0.97 THEN 0 WHEN un < 0.98 THEN 120
                                   WHEN un < 0.99 THEN 146 ELSE 4 END
           WHEN type = 'new' THEN CASE WHEN un < 0.75 THEN 0 ELSE 14 END
           ELSE CASE WHEN un < 0.66 THEN 0 WHEN un < 0.77 THEN 1 WHEN un < 0.86 THEN 4
                     WHEN un < 0.90 THEN 2 WHEN un < 0.93 THEN 10 WHEN un < 0.96 THEN 3 ELSE 14 END
         END AS namespace,
         -- New pages get a title never used before; bursts work through a narrow range.
         CASE
           WHEN type = 'new' THEN titles + (x % 1000000000000)
           WHEN burst THEN b_title + zipf(yu(x, 8), 2000, 0.6)
           ELSE zipf(yu(x, 8), titles, 0.9)
         END AS title_rank
  FROM b
),
s AS (
  SELECT u.*,
         CASE WHEN type = 'edit' THEN round(lognormal(yu(x, 9), yu(x, 10),
                                                      CASE kind WHEN 1 THEN 6074 ELSE 6324 END,
                                                      1.3))::BIGINT END AS length_old,
         CASE
           WHEN type <> 'edit' THEN 0
           WHEN yu(x, 11) < 0.02 THEN 0
           WHEN kind = 1 AND yu(x, 11) < 0.98 THEN round(lognormal(yu(x, 12), yu(x, 13), 78, 1.05))
           WHEN kind <> 1 AND yu(x, 11) < 0.74 THEN round(lognormal(yu(x, 12), yu(x, 13), 70, 2.5))
           ELSE -round(lognormal(yu(x, 12), yu(x, 13), 90, 2.0))
         END::BIGINT AS delta,
         CASE WHEN type = 'new' THEN round(lognormal(yu(x, 9), yu(x, 10), 300, 2.2))::BIGINT
         END AS length_created
  FROM u
),
f AS (
SELECT
  printf('%016x%016x', x, hash(x, 99))::UUID AS event_id,
  event_time,
  event_time + to_milliseconds(300 + floor(yu(x, 14) * 2000)::BIGINT) AS ingest_time,
  wiki, domain, type, namespace,
  CASE namespace WHEN 14 THEN 'Category:' WHEN 6 THEN 'File:' WHEN 4 THEN 'Project:'
                 WHEN 2 THEN 'User:' WHEN 3 THEN 'User talk:' WHEN 1 THEN 'Talk:'
                 WHEN 10 THEN 'Template:' WHEN 120 THEN 'Property:' WHEN 146 THEN 'Lexeme:'
                 ELSE '' END
    || CASE
         WHEN kind = 1 AND namespace = 0 THEN 'Q' || ((title_rank * 2654435761) % 130000000 + 1)
         WHEN namespace = 6 THEN 'Photo ' || title_rank || ' of ' || wiki || '.jpg'
         WHEN namespace = 14 THEN 'Topic ' || title_rank
         WHEN namespace = 120 THEN 'P' || (title_rank % 13000 + 1)
         WHEN namespace = 146 THEN 'L' || (title_rank % 1600000 + 1)
         ELSE 'Page ' || title_rank
       END AS title,
  CASE
    WHEN is_temp THEN '~' || year(event_time) || '-' || lpad((user_rank % 100000)::VARCHAR, 5, '0')
                   || '-' || lpad((user_rank // 100000 % 100)::VARCHAR, 2, '0')
    WHEN bot THEN 'Gen' || user_rank || 'Bot'
    ELSE 'Editor ' || user_rank
  END AS "user",
  is_temp,
  bot,
  CASE WHEN type = 'edit' THEN yu(x, 15) < CASE kind WHEN 0 THEN 0.46 WHEN 1 THEN 0.001
                                                          ELSE 0.36 END
       WHEN type = 'new' THEN false END AS minor,
  CASE WHEN type NOT IN ('edit', 'new') THEN NULL
       WHEN kind = 1 THEN yu(x, 16) < 0.98
       WHEN yu(x, 16) < CASE kind WHEN 0 THEN 0.70 ELSE 0.84 END THEN NULL
       ELSE yu(x, 17) < 0.9 END AS patrolled,
  length_old,
  CASE WHEN type = 'edit' THEN greatest(0, length_old + delta) ELSE length_created END AS length_new,
  CASE WHEN type = 'edit' THEN 1000000000 + (x % 900000000)::BIGINT END AS revision_old,
  CASE WHEN type IN ('edit', 'new') THEN 1900000000 + (x % 90000000)::BIGINT END AS revision_new,
  CASE WHEN type <> 'log' THEN NULL
       WHEN kind = 0 THEN CASE WHEN un < 0.92 THEN 'upload' WHEN un < 0.97 THEN 'abusefilter'
                               ELSE 'delete' END
       WHEN kind = 1 THEN CASE WHEN un < 0.6 THEN 'abusefilter' WHEN un < 0.9 THEN 'patrol'
                               ELSE 'tag' END
       ELSE CASE WHEN yu(x, 18) < 0.84 THEN 'delete' WHEN yu(x, 18) < 0.91 THEN 'abusefilter'
                 WHEN yu(x, 18) < 0.94 THEN 'review' WHEN yu(x, 18) < 0.96 THEN 'block'
                 WHEN yu(x, 18) < 0.98 THEN 'newusers' ELSE 'patrol' END
  END AS log_type,
  CASE
    WHEN type = 'categorize' THEN '[[:Page ' || (x % 50000000) || ']] '
                                  || CASE WHEN yu(x, 19) < 0.7 THEN 'added to category'
                                          ELSE 'removed from category' END
    WHEN kind = 1 AND type = 'edit' THEN '/* wbsetclaim-create:2||1 */ [[Property:P'
                                         || (x % 13000 + 1) || ']]: Q' || (x % 130000000 + 1)
    WHEN type = 'edit' THEN CASE WHEN yu(x, 19) < 0.2 THEN ''
                                 WHEN yu(x, 19) < 0.8 THEN '/* Section ' || (x % 1000)
                                                           || ' */ copyedit, references'
                                 ELSE 'Reverted edits by Editor ' || (x % 600000)
                                      || ' to last revision' END
    WHEN type = 'new' THEN 'Created page with "Text of a new page, number ' || (x % 100000) || '"'
    ELSE 'Generated ' || 'log entry ' || (x % 100000)
  END AS comment,
  (x % 4000000000)::BIGINT AS rc_id
FROM s
)
SELECT f.*,
       CASE log_type WHEN 'upload' THEN 'upload' WHEN 'abusefilter' THEN 'hit'
                     WHEN 'delete' THEN 'delete' WHEN 'patrol' THEN 'patrol'
                     WHEN 'tag' THEN 'update' WHEN 'review' THEN 'approve'
                     WHEN 'block' THEN 'block' WHEN 'newusers' THEN 'create' END AS log_action
FROM f;
