-- One closed hour of silver, [?, ? + 1 hour), to {file} (a quoted temporary name; renamed into
-- place once complete).
COPY (SELECT * FROM wiki WHERE event_time >= ? AND event_time < ? + INTERVAL 1 HOUR
      ORDER BY event_time, event_id)
TO {file} (FORMAT parquet, COMPRESSION zstd);
