DROP TABLE wiki_raw;
