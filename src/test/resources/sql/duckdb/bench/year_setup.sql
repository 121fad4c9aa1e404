-- The synthetic year (bench/YearGenerator, docs/performance.md "A realistic year"): helpers and
-- the wiki lookup table, made once per connection after YearGenerator has filled year_wikis.
-- Every random choice is a function of a hash of (seed, minute, index), so a seed gives the same
-- events on any number of threads.

-- The j-th uniform number in [0, 1) of the event (or slot) with hash x: 53 bits of the hash of x
-- xor a constant per j. Not hash(x, j): DuckDB combines the hashes of several arguments so that
-- hash(x, 4) and hash(x, 6) are correlated (a bot share drawn from one then excluded every
-- temporary account drawn from the other).
CREATE OR REPLACE TEMP MACRO yu(x, j) AS
  (hash(xor(x::UBIGINT, (j * 11400714819323198485 // 64)::UBIGINT)) >> 11)::DOUBLE
  / 9007199254740992.0;

-- Rank 1..n of a bounded Zipf law of exponent s (s != 1), by inverting its continuous CDF.
CREATE OR REPLACE TEMP MACRO zipf(u, n, s) AS
  least(n, greatest(1, floor(pow(1 + u * (pow(n, 1 - s) - 1), 1 / (1 - s)))))::BIGINT;

-- A log-normal draw with this median and sigma (Box-Muller from two uniforms).
CREATE OR REPLACE TEMP MACRO lognormal(u1, u2, median, sigma) AS
  median * exp(sigma * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2));

-- 2^20 buckets of the unit interval, each naming the wiki whose share covers it: an equi-join
-- picks a wiki by its share (the smallest share, about 3e-5, still owns ~30 buckets).
CREATE OR REPLACE TEMP TABLE year_lut AS
SELECT b.bucket::INTEGER AS bucket, w.wiki, w.domain, w.kind, w.titles
FROM range(1048576) AS b(bucket)
JOIN year_wikis w
  ON (b.bucket + 0.5) / 1048576 >= w.cum_lo AND (b.bucket + 0.5) / 1048576 < w.cum_hi;

-- The minutes being generated (year_slots.sql replaces it), so year_events can be defined now.
CREATE OR REPLACE TEMP TABLE year_slots (
  key UBIGINT, minute TIMESTAMP, b_bucket INTEGER, b_user BIGINT, b_title BIGINT, n INTEGER
);
