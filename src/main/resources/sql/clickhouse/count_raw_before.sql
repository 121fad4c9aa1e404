SELECT count() FROM wiki_raw WHERE ingest_time < {cutoff:DateTime64(3, 'UTC')};
