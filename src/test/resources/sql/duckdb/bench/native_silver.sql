-- The references' silver: parsed from native_raw (see native_load.sql) by DuckDB's JSON functions.
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
