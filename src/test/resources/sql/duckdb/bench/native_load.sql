-- The benchmark's reference: DuckDB's own bulk load of an NDJSON file into the same layout (bronze
-- as one zstd NDJSON file written by COPY, silver, and gold by the same statements, merge_gold.sql
-- with batch id 1), without deduplication. ? is the input file, {bronze} the bronze file.
SET TimeZone = 'UTC';

CREATE TEMP TABLE native_raw AS
SELECT (json ->> '$.meta.id')::UUID AS event_id, 'replay' AS stream, NULL::VARCHAR AS sse_id,
       now()::TIMESTAMP AS ingest_time, 1::BIGINT AS batch_id, json::VARCHAR AS data
FROM read_ndjson_objects(?);

COPY native_raw TO {bronze} (FORMAT json, COMPRESSION zstd);

INSERT INTO wiki
SELECT event_id, coalesce(f[1]::TIMESTAMPTZ, to_timestamp(f[19]::BIGINT))::TIMESTAMP,
       ingest_time, f[2], f[3], f[4], f[5]::INTEGER, f[6], f[7], f[8]::BOOLEAN, f[9]::BOOLEAN,
       f[10]::BOOLEAN, f[11]::BIGINT, f[12]::BIGINT, f[13]::BIGINT, f[14]::BIGINT, f[15], f[16],
       f[17], f[18], f[20]::BIGINT, 1
FROM (
  SELECT event_id, ingest_time,
         json_extract_string(data, ['$.meta.dt', '$.wiki', '$.meta.domain', '$.type',
           '$.namespace', '$.title', '$.user', '$.bot', '$.minor', '$.patrolled', '$.length.old',
           '$.length.new', '$.revision.old', '$.revision.new', '$.log_type', '$.log_action',
           '$.comment', '$.server_name', '$.timestamp', '$.id']) AS f
  FROM native_raw
);
