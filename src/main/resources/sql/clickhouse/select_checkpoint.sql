-- Exact without FINAL: the newest row of the stream wins, merged or not.
SELECT argMax(sse_id, updated_at) FROM wiki_checkpoint WHERE stream = {stream:String}
HAVING count() > 0;
