-- Which committed state a read transaction sees, as far as the dashboard can tell: the number of
-- events in silver, kept in gold by every batch in the batch's own transaction. Nothing deletes
-- silver and every commit that changes silver or gold adds events, so two transactions that read
-- the same number see the same silver and gold. A few hundred rows: cheap enough for every read.
SELECT coalesce(sum(events), 0)::BIGINT AS events FROM wiki_bywiki_summary;
