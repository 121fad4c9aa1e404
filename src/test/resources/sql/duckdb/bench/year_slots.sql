-- The minutes of [?, ?) (event time) and how many events each holds: seed ?, ? events a minute on
-- average, ? bursts a day at ? times the full-rate burst rate. Base minutes follow a daily cycle
-- (+-30 %, peak 15:00 UTC), a weekly one (weekdays 1.04, weekends 0.90) and +-15 % noise; a burst
-- is one bot on one wiki for 5 to 90 minutes at 2 to 10 events/s on top. Fractions of an event
-- are rounded at random, so a rate of a few events an hour still spreads over the year.
CREATE OR REPLACE TEMP TABLE year_slots AS
WITH p AS (
  SELECT ?::TIMESTAMP AS t0, ?::TIMESTAMP AS t1, ?::UBIGINT AS seed, ?::DOUBLE AS per_minute,
         ?::INTEGER AS bursts, ?::DOUBLE AS burst_scale
),
minutes AS (
  SELECT r.ts, hash(p.seed, epoch_ms(r.ts)) AS key, p.per_minute
  FROM p, range(p.t0, p.t1, INTERVAL 1 MINUTE) AS r(ts)
),
base AS (
  SELECT key, ts AS minute, NULL::INTEGER AS b_bucket, NULL::BIGINT AS b_user,
         NULL::BIGINT AS b_title,
         floor(per_minute
               * CASE WHEN isodow(ts) <= 5 THEN 1.04 ELSE 0.90 END
               * (1 + 0.3 * cos(2 * pi() * (hour(ts) + minute(ts) / 60.0 - 15) / 24))
               * (0.85 + 0.3 * yu(key, 1))
               + yu(key, 2))::INTEGER AS n
  FROM minutes
),
burst AS (
  SELECT hash(p.seed, epoch_ms(d.d), b.j, 7) AS bkey, d.d, p.burst_scale
  FROM p, range(date_trunc('day', p.t0), p.t1, INTERVAL 1 DAY) AS d(d), range(p.bursts) AS b(j)
),
burst_minute AS (
  SELECT bkey, d, burst_scale, unnest(range(floor(5 + 86 * yu(bkey, 6))::BIGINT)) AS m FROM burst
),
burst_slots AS (
  SELECT hash(bkey, m) AS key,
         d + to_minutes(floor(yu(bkey, 1) * 1440)::BIGINT + m) AS minute,
         floor(yu(bkey, 2) * 1048576)::INTEGER AS b_bucket,
         zipf(yu(bkey, 3), 5000, 1.2) AS b_user,
         (hash(bkey, 4) % 1000000000)::BIGINT AS b_title,
         floor(60 * burst_scale * (2 + 8 * yu(bkey, 5)) + yu(hash(bkey, m), 2))::INTEGER AS n
  FROM burst_minute
)
SELECT * FROM base WHERE n > 0
UNION ALL
SELECT key, minute, b_bucket, b_user, b_title, n FROM burst_slots
WHERE n > 0 AND minute >= (SELECT t0 FROM p) AND minute < (SELECT t1 FROM p)
-- In time order, so the events come out (and go into silver) in time order without a sort.
ORDER BY minute, key;
