-- Records that the store now has layout ? (in the transaction that made it so).
INSERT INTO wiki_layout VALUES (?, now()::TIMESTAMP, ?);
