SELECT sse_id FROM wiki_checkpoint WHERE stream = ?;
