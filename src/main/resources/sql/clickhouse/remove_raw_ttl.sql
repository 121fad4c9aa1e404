-- --raw-retention 0: bronze is kept forever. Placeholders: see schema.sql.
ALTER TABLE wiki_raw{{local}}{{on_cluster}} REMOVE TTL;
