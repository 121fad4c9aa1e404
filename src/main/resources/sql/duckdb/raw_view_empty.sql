-- Bronze as a table while it holds no file: read_ndjson fails on a pattern that matches nothing.
CREATE OR REPLACE VIEW wiki_raw AS
SELECT NULL::UUID AS event_id, NULL::VARCHAR AS stream, NULL::VARCHAR AS sse_id,
       NULL::TIMESTAMP AS ingest_time, NULL::VARCHAR AS data, NULL::BIGINT AS batch_id
WHERE false;
