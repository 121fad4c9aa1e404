-- The rows of one gold table ({table}, a name from the program's own list) whose interval starts
-- in [?, ?): an hour's rows (its minutes for the per-minute tables) or a day's, to {file} (a
-- quoted temporary name; renamed into place once complete).
COPY (SELECT * FROM {table} WHERE "interval" >= ? AND "interval" < ? ORDER BY ALL)
TO {file} (FORMAT parquet, COMPRESSION zstd);
