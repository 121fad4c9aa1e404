-- Layout 1 (every release before layout versions) to 2. Runs in the transaction that records
-- version 2 in wiki_layout; schema.sql runs after it in the same transaction.
CREATE TABLE wiki_layout (
  version     INTEGER   PRIMARY KEY,
  upgraded_at TIMESTAMP NOT NULL,
  program     VARCHAR   NOT NULL
);
