-- Records a chunk's event ids; returns only those never stored before, whose events are then
-- appended. Claiming before appending means no batch ever deletes rows it appended itself.
INSERT OR IGNORE INTO wiki_ids
SELECT unnest(?::UUID[])
RETURNING event_id;
