-- The 100 newest alerts fired and cleared (wiki_alerts), newest first. Not filtered: an alert is
-- about the whole feed, and a page spike names its wiki in the subject.
SELECT alert_time AS time, rule, subject, state, message
FROM wiki_alerts
ORDER BY alert_time DESC, rule, subject, state
LIMIT 100;
