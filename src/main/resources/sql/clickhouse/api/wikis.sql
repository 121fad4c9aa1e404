-- Every wiki with its total events: the selector's choices and the check of the wiki parameter.
-- Gold is read merged (sum ... GROUP BY).
SELECT s.wiki_name AS wiki, sum(s.events) AS events
FROM wiki_bywiki_summary AS s
GROUP BY s.wiki_name
ORDER BY events DESC, wiki;
