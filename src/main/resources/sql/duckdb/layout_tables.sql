-- Which of the tables that tell a store's layout apart exist: wiki (every layout) and
-- wiki_layout (from layout 2 on).
SELECT table_name FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main'
  AND table_name IN ('wiki', 'wiki_layout');
