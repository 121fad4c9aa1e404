ALTER TABLE wiki_raw_local ON CLUSTER '{cluster}' REMOVE TTL;
