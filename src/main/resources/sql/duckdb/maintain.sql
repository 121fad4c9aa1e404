-- Periodic upkeep (every 10 minutes, from the loader): fold the write-ahead log into the file.
CHECKPOINT;
