-- The benchmark's reference: DuckDB's own bulk load of an NDJSON file into the same layout (bronze
-- as one zstd NDJSON file written by COPY, silver by native_silver.sql, gold by our merge_gold.sql
-- with batch id 1), without deduplication. ? is the input file, {bronze} the bronze file.
SET TimeZone = 'UTC';

CREATE TEMP TABLE native_raw AS
SELECT (json ->> '$.meta.id')::UUID AS event_id, 'replay' AS stream, NULL::VARCHAR AS sse_id,
       now()::TIMESTAMP AS ingest_time, 1::BIGINT AS batch_id, json::VARCHAR AS data
FROM read_ndjson_objects(?);

COPY native_raw TO {bronze} (FORMAT json, COMPRESSION zstd);
