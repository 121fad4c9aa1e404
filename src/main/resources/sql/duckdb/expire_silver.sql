-- One unit of silver expiry: every row before ? (the end of the oldest hour that has events, or
-- the cutoff). Zone maps skip the row groups of newer events, so a unit reads little more than it
-- deletes.
DELETE FROM wiki WHERE event_time < ?;
