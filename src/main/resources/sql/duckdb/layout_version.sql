-- The store's layout version: the newest upgrade recorded in wiki_layout (see DuckDbLayout).
SELECT max(version) FROM wiki_layout;
