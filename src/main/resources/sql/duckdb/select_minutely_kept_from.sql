-- The oldest event time per-minute gold answers for, or nothing when none of it has expired.
SELECT kept_from FROM wiki_retention WHERE tier = 'minutely';
