-- Where retention stands: the newest event time (its windows count back from it; hourly gold is
-- kept forever and small, and silver's zone maps skip all but its newest hour) and the oldest
-- event time silver may still hold (where the last pass stopped, else the oldest hour of gold).
SELECT (SELECT max(event_time) FROM wiki
        WHERE event_time >= (SELECT max("interval") FROM wiki_hourly_summary)) AS newest,
       coalesce((SELECT kept_from FROM wiki_retention WHERE tier = 'silver'),
                (SELECT min("interval") FROM wiki_hourly_summary)) AS silver_oldest;
