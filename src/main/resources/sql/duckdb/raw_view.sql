-- Bronze as a table: every published file of the store's bronze folder. {glob} is that folder's
-- file pattern as a string literal (a table function in a view takes no parameters).
CREATE OR REPLACE VIEW wiki_raw AS
SELECT event_id, stream, sse_id, ingest_time, data, batch_id
FROM read_ndjson(
  {glob},
  columns = {event_id: 'UUID', stream: 'VARCHAR', sse_id: 'VARCHAR', ingest_time: 'TIMESTAMP',
             batch_id: 'BIGINT', data: 'VARCHAR'},
  compression = 'zstd',
  maximum_object_size = 67108864);
