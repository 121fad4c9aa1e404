-- The events of year_slots as recentchange JSON lines (schema 1.0.0, the fields the 2026
-- recording has), in arrival order: ingest time, 0.3 to 2.3 s after the event, so about a fifth
-- of the lines are older than one already sent, as in the recording.
SELECT '{"$schema":"/mediawiki/recentchange/1.0.0","meta":{"uri":'
       || to_json('https://' || domain || '/wiki/' || replace(title, ' ', '_'))
       || ',"request_id":"' || printf('%016x%016x', hash(event_id, 1), hash(event_id, 2))::UUID
       || '","id":"' || event_id || '","domain":"' || domain
       || '","stream":"mediawiki.recentchange","dt":"'
       || strftime(event_time, '%Y-%m-%dT%H:%M:%S.%gZ')
       || '","topic":"eqiad.mediawiki.recentchange","partition":0,"offset":' || rc_id
       || '},"id":' || rc_id || ',"type":"' || type || '","namespace":' || namespace
       || ',"title":' || to_json(title)
       || ',"title_url":' || to_json('https://' || domain || '/wiki/' || replace(title, ' ', '_'))
       || ',"comment":' || to_json(comment)
       || ',"timestamp":' || epoch(event_time)::BIGINT
       || ',"user":' || to_json("user") || ',"bot":' || bot
       || CASE WHEN type IN ('edit', 'new')
               THEN ',"notify_url":"https://' || domain || '/w/index.php?oldid=' || revision_new
                    || '&rcid=' || rc_id || '"'
                    || ',"minor":' || minor
                    || coalesce(',"patrolled":' || patrolled, '')
                    || ',"length":{' || coalesce('"old":' || length_old || ',', '')
                    || '"new":' || length_new || '}'
                    || ',"revision":{' || coalesce('"old":' || revision_old || ',', '')
                    || '"new":' || revision_new || '}'
               WHEN type = 'log'
               THEN ',"log_id":' || rc_id || ',"log_type":"' || log_type
                    || '","log_action":"' || log_action || '","log_params":[]'
                    || ',"log_action_comment":' || to_json(comment)
               ELSE '' END
       || ',"server_url":"https://' || domain || '","server_name":"' || domain
       || '","server_script_path":"/w","wiki":"' || wiki || '","parsedcomment":'
       || to_json(comment) || '}' AS line
FROM year_events
ORDER BY ingest_time, event_id;
