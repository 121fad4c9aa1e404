-- A month of silver wholly before the cutoff: its partition goes at once (no rows rewritten). The
-- views that feed gold see inserts only, so gold keeps what it counted. Placeholders: schema.sql.
ALTER TABLE wiki{{local}}{{on_cluster}} DROP PARTITION {month:UInt32};
