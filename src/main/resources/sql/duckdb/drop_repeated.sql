-- Removes from a batch the events an earlier batch already stored (listed in wiki_repeated_ids).
DELETE FROM wiki WHERE batch_id = ? AND event_id IN (SELECT event_id FROM wiki_repeated_ids);
DELETE FROM wiki_raw WHERE batch_id = ? AND event_id IN (SELECT event_id FROM wiki_repeated_ids);
DELETE FROM wiki_repeated_ids;
