-- The resume point a live run would have left, and a checkpoint so the file holds everything.
INSERT INTO wiki_checkpoint VALUES
  ('recentchange', '[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1777975200000}]',
   TIMESTAMP '2026-05-05 10:00:00');
CHECKPOINT;
