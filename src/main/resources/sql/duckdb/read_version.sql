-- Which committed state a read transaction sees, as far as the dashboard can tell: the events
-- every batch added to gold plus the rows every retention pass removed, each kept in the
-- transaction that made the change. Both only grow, so two transactions that read the same number
-- see the same silver and gold. A few hundred rows: cheap enough for every read.
SELECT coalesce((SELECT sum(events) FROM wiki_bywiki_summary), 0)::BIGINT
     + coalesce((SELECT sum(expired) FROM wiki_retention), 0)::BIGINT AS events;
