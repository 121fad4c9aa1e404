-- --raw-retention 0: bronze is kept forever.
ALTER TABLE wiki_raw REMOVE TTL;
