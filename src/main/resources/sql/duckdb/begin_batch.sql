-- Opens the batch's transaction before its Appenders exist: an Appender does not open one, and the
-- rows it flushes outside a transaction are committed at once, beyond the reach of a rollback.
SELECT 1;
