-- Lists a published Parquet copy of one gold table's hour or day: the table, the interval's start,
-- the file (relative to the copies' folder) and how many events the interval holds (as its
-- summary counts them: a copy whose count differs is written again).
INSERT INTO wiki_parquet_gold_files VALUES (?, ?, ?, ?, now()::TIMESTAMP)
ON CONFLICT (table_name, "interval") DO UPDATE SET file = excluded.file, events = excluded.events,
  written_at = excluded.written_at;
