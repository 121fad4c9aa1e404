-- One table of `export`: {where} keeps the rows whose event time is in the range (empty for a
-- table without a time column, exported whole), to {file} in {format}. ExportCommand fills every
-- placeholder from its own list of tables and from times it parsed: no user text reaches the SQL
-- but the quoted file name.
COPY (SELECT * FROM {table} {where} ORDER BY ALL) TO {file} (FORMAT {format});
