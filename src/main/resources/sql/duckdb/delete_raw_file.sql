DELETE FROM wiki_raw_files WHERE file = ?;
