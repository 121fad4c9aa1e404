INSERT INTO wiki_alerts (alert_time, rule, subject, state, message) VALUES (?, ?, ?, ?, ?);
