-- The second reference: the same bulk load with bronze kept in a DuckDB table, as wiki-events did
-- before bronze moved to files. ? is the input file.
SET TimeZone = 'UTC';

CREATE TABLE native_raw AS
SELECT (json ->> '$.meta.id')::UUID AS event_id, 'replay' AS stream, NULL::VARCHAR AS sse_id,
       now()::TIMESTAMP AS ingest_time, 1::BIGINT AS batch_id, json::VARCHAR AS data
FROM read_ndjson_objects(?);
