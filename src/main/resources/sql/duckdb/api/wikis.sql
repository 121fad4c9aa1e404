-- Every wiki with its total events: the selector's choices and the check of the wiki parameter.
SELECT wiki_name AS wiki, events FROM wiki_bywiki_summary ORDER BY events DESC, wiki_name;
