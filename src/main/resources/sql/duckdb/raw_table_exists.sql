-- Whether this store predates bronze in files: it then still has a wiki_raw table.
SELECT count(*) > 0 FROM duckdb_tables() WHERE table_name = 'wiki_raw';
