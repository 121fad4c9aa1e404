-- The oldest event time silver answers for (epoch ms), -1 when no silver has expired.
SELECT ifNull(toUnixTimestamp64Milli(maxOrNull(kept_from)), -1) AS kept_from
FROM wiki_retention
WHERE tier = 'silver';
