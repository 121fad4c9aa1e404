-- Tables in the file, and how many of them are wiki-events' resume points: a file with tables
-- but no wiki_checkpoint belongs to another program.
SELECT count(*), count(*) FILTER (WHERE table_name = 'wiki_checkpoint')
FROM duckdb_tables()
WHERE database_name = current_database();
