SELECT count(*) FROM wiki WHERE batch_id = ?;
