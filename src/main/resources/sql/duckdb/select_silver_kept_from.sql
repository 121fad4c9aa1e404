-- The oldest event time silver answers for, or nothing when no silver has expired.
SELECT kept_from FROM wiki_retention WHERE tier = 'silver';
