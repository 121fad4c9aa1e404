-- Records that tier ? now answers from ? on, ? more rows having gone (in the deleting transaction).
INSERT INTO wiki_retention VALUES (?, ?, ?)
ON CONFLICT (tier) DO UPDATE SET
  kept_from = greatest(kept_from, excluded.kept_from),
  expired = expired + excluded.expired;
