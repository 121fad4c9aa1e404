INSERT INTO wiki_checkpoint (stream, sse_id, updated_at) VALUES (?, ?, ?)
ON CONFLICT (stream) DO UPDATE SET sse_id = excluded.sse_id, updated_at = excluded.updated_at;
