-- The 100 newest alerts fired and cleared (wiki_alerts), newest first; as the DuckDB query.
SELECT a.alert_time AS time, a.rule AS rule, a.subject AS subject, a.state AS state, a.message AS message
FROM wiki_alerts AS a
ORDER BY a.alert_time DESC, a.rule, a.subject, a.state
LIMIT 100;
