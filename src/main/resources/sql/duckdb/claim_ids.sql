-- Records the ids of a batch's silver rows; returns only those never seen before.
INSERT OR IGNORE INTO wiki_ids
SELECT event_id FROM wiki WHERE batch_id = ?
RETURNING event_id;
