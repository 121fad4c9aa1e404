-- Lists a published Parquet copy of an hour of silver: the hour, the file (relative to the copies'
-- folder) and how many events it holds.
INSERT INTO wiki_parquet_files VALUES (?, ?, ?, now()::TIMESTAMP)
ON CONFLICT (hour) DO UPDATE SET file = excluded.file, events = excluded.events,
  written_at = excluded.written_at;
